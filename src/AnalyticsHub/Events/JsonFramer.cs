namespace AnalyticsHub.Events;

/// <summary>
/// Finds the items of a top-level JSON array, or of a sequence of JSON values separated by white space (pretty-printed
/// events one after another), in bytes that may arrive in pieces, without parsing them: it tracks only strings,
/// escapes and bracket depth, so it keeps O(1) state whatever an item holds and an item too large to buffer can be
/// skipped byte by byte. Each item is then read (and its syntax checked) on its own.
/// </summary>
/// <remarks>
/// Positions are indexes into the span passed to <see cref="Next"/>; the caller passes the same bytes again from where
/// the last call stopped, with more appended. The structure between items (brackets, commas, white space) is checked
/// here; what is inside an item is left to the item's reader, so a malformed item spoils only itself.
/// </remarks>
/// <param name="valueSequence">True to frame a sequence of values (no brackets, no commas); false for one array.</param>
internal sealed class JsonFramer(bool valueSequence = false)
{
    private static readonly System.Buffers.SearchValues<byte> StructuralBytes = System.Buffers.SearchValues.Create("\"{}[]"u8);
    private static readonly System.Buffers.SearchValues<byte> BareEnd = System.Buffers.SearchValues.Create(",] \t\r\n"u8);
    private readonly bool _sequence = valueSequence;
    private Phase _phase = valueSequence ? Phase.Item : Phase.Open;
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _bare;

    /// <summary>What the framer found.</summary>
    public enum Step
    {
        /// <summary>Every byte so far is consumed; more are needed.</summary>
        NeedMore,

        /// <summary>An item starts at the returned start position.</summary>
        ItemStart,

        /// <summary>The current item ends just before the returned position.</summary>
        ItemEnd,

        /// <summary>The array is closed and only white space followed it, to the end of the input.</summary>
        Done,

        /// <summary>The structure between items is broken; nothing after it can be located.</summary>
        Error,
    }

    private enum Phase
    {
        Open,
        FirstItem,
        Item,
        InItem,
        AfterItem,
        Closed,
    }

    /// <summary>Whether the framer is inside an item.</summary>
    public bool InItem => _phase == Phase.InItem;

    /// <summary>
    /// Whether the first value of <paramref name="data"/> (which starts at that value) runs past the end of its line, so the
    /// input is a sequence of values (a pretty-printed event) rather than one value per line; null when
    /// <paramref name="data"/> does not tell yet (the first line has not ended and neither has the value).
    /// </summary>
    public static bool? FirstValueSpansLines(ReadOnlySpan<byte> data, bool eof)
    {
        var framer = new JsonFramer(valueSequence: true);
        var position = 0;
        var step = framer.Next(data, ref position, eof, out _, out _);
        if (step == Step.ItemStart)
        {
            step = framer.Next(data, ref position, eof, out _, out _);
        }

        var newline = data.IndexOf((byte)'\n');
        if (step == Step.ItemEnd)
        {
            return newline >= 0 && newline < position;
        }

        return newline >= 0 ? true : eof ? false : null;
    }

    /// <summary>Frames a whole input (nothing more will arrive): <c>foreach (var item in JsonFramer.Items(bytes, sequence))</c>.</summary>
    /// <param name="data">The whole input.</param>
    /// <param name="valueSequence">True for values one after another, false for one JSON array.</param>
    public static ItemEnumerator Items(ReadOnlySpan<byte> data, bool valueSequence) => new(data, new JsonFramer(valueSequence));

    /// <summary>One framed item (<c>data[Start..End]</c>), or, last, the structural error that ended the input at <c>End</c>.</summary>
    /// <param name="Start">Where the item starts.</param>
    /// <param name="End">Where it ends (exclusive); for an error, where the structure broke.</param>
    /// <param name="Error">Null for an item; what is wrong for the error entry.</param>
    public readonly record struct FramedItem(int Start, int End, string? Error);

    /// <summary>The items of a whole input, in order; see <see cref="Items"/>.</summary>
    public ref struct ItemEnumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private readonly JsonFramer _framer;
        private int _position;
        private int _itemStart;
        private bool _done;

        internal ItemEnumerator(ReadOnlySpan<byte> data, JsonFramer framer)
        {
            _data = data;
            _framer = framer;
        }

        /// <summary>The current item.</summary>
        public FramedItem Current { get; private set; }

        /// <summary>This enumerator (for <c>foreach</c>).</summary>
        public readonly ItemEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next item, or to the error entry; false at the end.</summary>
        public bool MoveNext()
        {
            while (!_done)
            {
                switch (_framer.Next(_data, ref _position, eof: true, out var start, out var error))
                {
                    case Step.ItemStart:
                        _itemStart = start;
                        break;
                    case Step.ItemEnd:
                        Current = new FramedItem(_itemStart, _position, null);
                        return true;
                    case Step.Error:
                        _done = true;
                        Current = new FramedItem(_position, _position, error);
                        return true;
                    default:
                        _done = true;
                        break;
                }
            }

            return false;
        }
    }

    /// <summary>Scans <paramref name="data"/> from <paramref name="position"/> to the next item boundary.</summary>
    /// <param name="data">The input so far (positions are indexes into it).</param>
    /// <param name="position">Where to go on; moved past what was consumed.</param>
    /// <param name="eof">Whether <paramref name="data"/> ends the input.</param>
    /// <param name="itemStart">For <see cref="Step.ItemStart"/>, where the item starts.</param>
    /// <param name="error">For <see cref="Step.Error"/>, what is wrong.</param>
    public Step Next(ReadOnlySpan<byte> data, ref int position, bool eof, out int itemStart, out string? error)
    {
        itemStart = -1;
        error = null;
        while (true)
        {
            if (_phase == Phase.InItem)
            {
                if (ScanItem(data, ref position, eof))
                {
                    _phase = Phase.AfterItem;
                    return Step.ItemEnd;
                }

                return !eof ? Step.NeedMore
                    : Fail(_sequence ? "The input ends inside a JSON value." : "The JSON array ends before it is closed.", out error);
            }

            var skipped = data[position..].IndexOfAnyExcept(" \t\r\n"u8);
            if (skipped < 0)
            {
                position = data.Length;
                return !eof ? Step.NeedMore
                    : _phase == Phase.Closed || _sequence ? Step.Done
                    : Fail("The JSON array ends before it is closed.", out error);
            }

            position += skipped;
            var b = data[position];
            if (_sequence && _phase == Phase.AfterItem)
            {
                _phase = Phase.Item;
            }

            switch (_phase)
            {
                case Phase.Open:
                    if (b != '[')
                    {
                        return Fail("The input does not start with '['.", out error);
                    }

                    position++;
                    _phase = Phase.FirstItem;
                    break;

                case Phase.FirstItem or Phase.Item:
                    if (b == ']' && _phase == Phase.FirstItem)
                    {
                        position++;
                        _phase = Phase.Closed;
                        break;
                    }

                    if (b is (byte)']' or (byte)',')
                    {
                        return Fail(
                            _sequence ? $"'{(char)b}' between JSON values; send a JSON array ([...]) or one value after another." : $"'{(char)b}' where an array item was expected.",
                            out error);
                    }

                    itemStart = position;
                    _phase = Phase.InItem;
                    _depth = b is (byte)'{' or (byte)'[' ? 1 : 0;
                    _inString = b == '"';
                    _bare = !_inString && _depth == 0;
                    if (!_bare)
                    {
                        position++;
                    }

                    return Step.ItemStart;

                case Phase.AfterItem:
                    if (b == ',')
                    {
                        position++;
                        _phase = Phase.Item;
                        break;
                    }

                    if (b == ']')
                    {
                        position++;
                        _phase = Phase.Closed;
                        break;
                    }

                    return Fail($"'{(char)b}' after an array item; expected ',' or ']'.", out error);

                default:
                    return Fail($"'{(char)b}' after the end of the JSON array.", out error);
            }
        }
    }

    /// <summary>Consumes the current item's bytes; true when it ended (at <paramref name="position"/>).</summary>
    private bool ScanItem(ReadOnlySpan<byte> data, ref int position, bool eof)
    {
        while (position < data.Length)
        {
            if (_escape)
            {
                _escape = false;
                position++;
                continue;
            }

            var rest = data[position..];
            if (_inString)
            {
                var at = rest.IndexOfAny((byte)'"', (byte)'\\');
                if (at < 0)
                {
                    position = data.Length;
                    return false;
                }

                position += at + 1;
                if (rest[at] == '\\')
                {
                    _escape = true;
                    continue;
                }

                _inString = false;
                if (_depth == 0)
                {
                    return true;
                }

                continue;
            }

            if (_bare)
            {
                // A number or literal ends at the next delimiter (left for the structure to read).
                var end = rest.IndexOfAny(BareEnd);
                if (end < 0)
                {
                    position = data.Length;
                    return eof;
                }

                position += end;
                return true;
            }

            var next = rest.IndexOfAny(StructuralBytes);
            if (next < 0)
            {
                position = data.Length;
                return false;
            }

            position += next + 1;
            switch (rest[next])
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                default:
                    if (--_depth == 0)
                    {
                        return true;
                    }

                    break;
            }
        }

        return _bare && eof;
    }

    private static Step Fail(string message, out string? error)
    {
        error = message;
        return Step.Error;
    }
}
