using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AnalyticsHub.Events;

/// <summary>
/// The one read-and-validate entry point for single events and batches: a JSON array, NDJSON (one
/// event per line) or JSON values one after another (a pretty-printed event, or several), from bytes or
/// incrementally from a <see cref="Stream"/>, with a result per item.
/// </summary>
/// <remarks>
/// The input's first non-blank byte decides: <c>[</c> is a JSON array; otherwise, when the first value ends on its
/// first line the input is NDJSON, and when it runs over several lines the input is a sequence of values framed by
/// their brackets. One bad item never spoils the others. An NDJSON line that is not JSON is reported with its line
/// number and reading goes on with the next line; a syntax error inside a JSON array ends the array,
/// since nothing after it can be located. Streams are read in chunks: memory stays bounded by the
/// largest allowed event, not by the stream. Thread-safe: instances hold no per-call state.
/// </remarks>
public sealed class EventBatchReader
{
    private const int InitialBufferSize = 64 * 1024;

    /// <summary>Creates a reader that validates with <paramref name="validator"/> (the default rules when null).</summary>
    public EventBatchReader(EventValidator? validator = null)
    {
        Validator = validator ?? new EventValidator();
    }

    /// <summary>The validator applied to every event that could be read.</summary>
    public EventValidator Validator { get; }

    /// <summary>The largest read buffer any <see cref="ReadBatchAsync"/> of this instance held (tests bound it; not synchronised).</summary>
    internal int PeakBufferBytes { get; private set; }

    private int MaxEventBytes => Validator.Options.MaxEventBytes;

    private int MaxItems => Validator.Options.MaxBatchItems;

    /// <summary>Reads and validates one event holding exactly one JSON object.</summary>
    public EventItemResult ReadEvent(ReadOnlySpan<byte> utf8Json) => ReadItem(utf8Json, 0, null, 0);

    /// <summary>
    /// Reads and validates a batch: a JSON array; NDJSON when the input does not start with <c>[</c> and its first value
    /// ends on its first line; otherwise JSON values one after another (see the remarks of <see cref="EventBatchReader"/>).
    /// </summary>
    public IReadOnlyList<EventItemResult> ReadBatch(ReadOnlySpan<byte> utf8)
    {
        var results = new List<EventItemResult>();
        var first = FirstNonWhiteSpace(utf8);
        if (first >= 0 && utf8[first] == '[')
        {
            ReadFramed(utf8, results, valueSequence: false);
        }
        else if (first >= 0 && JsonFramer.FirstValueSpansLines(utf8[first..], eof: true) == true)
        {
            ReadFramed(utf8, results, valueSequence: true);
        }
        else
        {
            ReadLines(utf8, results);
        }

        return results;
    }

    /// <summary>
    /// Reads and validates a batch from <paramref name="stream"/> as it arrives: a JSON array, NDJSON or JSON values one
    /// after another, told apart as <see cref="ReadBatch"/> does.
    /// </summary>
    public async IAsyncEnumerable<EventItemResult> ReadBatchAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parser = new StreamParser(this);
        try
        {
            while (!parser.Finished)
            {
                var buffer = parser.PrepareRead();
                if (parser.BufferLength > PeakBufferBytes)
                {
                    PeakBufferBytes = parser.BufferLength;
                }

                var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                parser.Advance(read);
                foreach (var item in parser.TakeItems())
                {
                    yield return item;
                }
            }
        }
        finally
        {
            parser.Dispose();
        }
    }

    private EventItemResult ReadItem(ReadOnlySpan<byte> utf8, int index, long? line, long baseOffset)
    {
        if (utf8.Length > MaxEventBytes)
        {
            return Invalid(index, line, null, new Problem(ProblemCodes.EventTooLarge, ProblemSeverity.Error, "$",
                $"The event has {utf8.Length} bytes; at most {MaxEventBytes} are allowed.", baseOffset));
        }

        var read = AnalyticsEventJson.Read(utf8);
        if (read.Event is not { } evt)
        {
            return new EventItemResult(index, line, PeekEventId(utf8), EventItemStatus.Invalid, null, Shift(read.Problems, baseOffset));
        }

        var problems = Validator.Validate(evt);
        var status = EventItemStatus.Accepted;
        foreach (var problem in problems)
        {
            if (problem.IsError)
            {
                status = EventItemStatus.Invalid;
                break;
            }
        }

        return new EventItemResult(index, line, evt.EventId, status, status == EventItemStatus.Accepted ? evt : null, problems);
    }

    private void ReadLines(ReadOnlySpan<byte> utf8, List<EventItemResult> results)
    {
        var offset = 0;
        var line = 0L;
        while (offset < utf8.Length)
        {
            line++;
            var rest = utf8[offset..];
            var newline = rest.IndexOf((byte)'\n');
            var length = newline < 0 ? rest.Length : newline;
            if (results.Count >= MaxItems && FirstNonWhiteSpace(rest[..length]) >= 0)
            {
                results.Add(TooManyItems(results.Count, line, offset));
                return;
            }

            if (TryReadLine(rest[..length], line, offset, results.Count, out var item))
            {
                results.Add(item);
            }

            offset += newline < 0 ? rest.Length : newline + 1;
        }
    }

    /// <summary>Reads one NDJSON line (CR, LF and surrounding blanks trimmed); false for a blank line.</summary>
    private bool TryReadLine(ReadOnlySpan<byte> line, long lineNumber, long offset, int index, out EventItemResult result)
    {
        var content = line.TrimEnd(" \t\r"u8);
        var start = FirstNonWhiteSpace(content);
        if (start < 0)
        {
            result = default;
            return false;
        }

        result = ReadItem(content[start..], index, lineNumber, offset + start);
        return true;
    }

    private void ReadFramed(ReadOnlySpan<byte> utf8, List<EventItemResult> results, bool valueSequence)
    {
        foreach (var item in JsonFramer.Items(utf8, valueSequence))
        {
            if (item.Error is { } error)
            {
                results.Add(Invalid(results.Count, null, null, new Problem(ProblemCodes.InvalidJson, ProblemSeverity.Error, "$", error, item.End)));
                return;
            }

            if (results.Count >= MaxItems)
            {
                results.Add(TooManyItems(results.Count, null, item.Start));
                return;
            }

            results.Add(ReadItem(utf8[item.Start..item.End], results.Count, null, item.Start));
        }
    }

    /// <summary>The item past <see cref="EventValidationOptions.MaxBatchItems"/>: it and everything after it are not read.</summary>
    private EventItemResult TooManyItems(int index, long? line, long offset) =>
        Invalid(index, line, null, new Problem(ProblemCodes.TooManyItems, ProblemSeverity.Error, $"$[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]",
            $"The request holds more than {MaxItems} items (Validation.MaxBatchItems); this item and the rest were not read.", offset));

    private static EventItemResult Invalid(int index, long? line, Guid? eventId, Problem problem) =>
        new(index, line, eventId, EventItemStatus.Invalid, null, [problem]);

    private static IReadOnlyList<Problem> Shift(IReadOnlyList<Problem> problems, long baseOffset)
    {
        if (baseOffset == 0 || problems.Count == 0)
        {
            return problems;
        }

        var shifted = new Problem[problems.Count];
        for (var i = 0; i < shifted.Length; i++)
        {
            var problem = problems[i];
            shifted[i] = problem.ByteOffset is { } o ? problem with { ByteOffset = o + baseOffset } : problem;
        }

        return shifted;
    }

    /// <summary>Finds a top-level <c>event_id</c> in a rejected item, so its result can name it.</summary>
    private static Guid? PeekEventId(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("event_id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id) ? id : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The item is not well-formed JSON; its id cannot be known.
        }

        return null;
    }

    private static int FirstNonWhiteSpace(ReadOnlySpan<byte> utf8) => utf8.IndexOfAnyExcept(" \t\r\n"u8);

    /// <summary>
    /// The incremental state of <see cref="ReadBatchAsync"/>: a buffer that never grows past
    /// <see cref="EventValidationOptions.MaxEventBytes"/> plus one read, and the parse position. An item (line or array
    /// element) over the size limit is reported when its size passes the limit and its further bytes are discarded as
    /// they arrive, never buffered.
    /// </summary>
    private sealed class StreamParser(EventBatchReader owner) : IDisposable
    {
        private const int ReadRoom = 16 * 1024;

        private enum Mode
        {
            Detect,
            Lines,
            Array,
            Sequence,
            Done,
        }

        private readonly List<EventItemResult> _items = [];
        private readonly int _maxBuffer = owner.MaxEventBytes + 2 + ReadRoom;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, owner.MaxEventBytes + 2 + ReadRoom));
        private int _start;
        private int _end;
        private long _bufferOffset;
        private bool _eof;
        private Mode _mode = Mode.Detect;
        private int _nextIndex;

        // NDJSON state.
        private long _line;
        private bool _discardingLine;

        // Array and sequence state: the framer's position, the current element's start, and whether it is being discarded.
        private JsonFramer _framer = new();
        private int _scan;
        private int _itemStart;
        private bool _skipping;

        public bool Finished => _mode == Mode.Done;

        public int BufferLength => _buffer.Length;

        public Memory<byte> PrepareRead()
        {
            var limit = Math.Min(_buffer.Length, _maxBuffer);
            if (_start > 0 && (_start == _end || _start > limit / 2 || _end == limit))
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _bufferOffset += _start;
                _end -= _start;
                _scan -= _start;
                _itemStart -= _start;
                _start = 0;
            }

            if (_end == limit)
            {
                // Full with one unfinished item: it is at most MaxEventBytes + 1 bytes (longer ones are discarded as
                // they come), so growing up to the bound always leaves room.
                if (_buffer.Length >= _maxBuffer)
                {
                    throw new InvalidOperationException($"The read buffer is full at its bound of {_maxBuffer} bytes.");
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxBuffer));
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
                limit = Math.Min(_buffer.Length, _maxBuffer);
            }

            return _buffer.AsMemory(_end, limit - _end);
        }

        public void Advance(int read)
        {
            _end += read;
            _eof = read == 0;
            Parse();
        }

        public EventItemResult[] TakeItems()
        {
            var items = _items.ToArray();
            _items.Clear();
            return items;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        private void Parse()
        {
            if (_mode == Mode.Detect)
            {
                var first = FirstNonWhiteSpace(_buffer.AsSpan(_start, _end - _start));
                if (first < 0)
                {
                    if (_eof)
                    {
                        _mode = Mode.Done;
                    }

                    // Blank so far: dropped (keeping the line count), so white space alone cannot fill the buffer.
                    _line += _buffer.AsSpan(_start, _end - _start).Count((byte)'\n');
                    _start = _end;
                    return;
                }

                if (!TryDetect(first))
                {
                    return;
                }
            }

            if (_mode == Mode.Lines)
            {
                ParseLines();
            }
            else if (_mode is Mode.Array or Mode.Sequence)
            {
                ParseFramed();
            }
        }

        /// <summary>Chooses the mode from the first value; false while the bytes so far do not tell.</summary>
        private bool TryDetect(int first)
        {
            var data = _buffer.AsSpan(_start + first, _end - _start - first);
            if (data[0] == '[')
            {
                _mode = Mode.Array;
            }
            else
            {
                // A first line longer than an event can be is NDJSON's oversized line, reported as such.
                var spans = JsonFramer.FirstValueSpansLines(data, _eof) ?? (data.Length > owner.MaxEventBytes + 1 ? false : null);
                if (spans is null)
                {
                    return false;
                }

                if (spans.Value)
                {
                    _mode = Mode.Sequence;
                    _framer = new JsonFramer(valueSequence: true);
                }
                else
                {
                    _mode = Mode.Lines;
                }
            }

            _scan = _start;
            return true;
        }

        private void ParseLines()
        {
            while (_mode == Mode.Lines)
            {
                var pending = _buffer.AsSpan(_start, _end - _start);
                var newline = pending.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    if (_eof)
                    {
                        if (!_discardingLine && pending.Length > 0)
                        {
                            AddLine(pending);
                        }

                        _start = _end;
                        _mode = Mode.Done;
                    }
                    else if (_discardingLine)
                    {
                        _start = _end;
                    }
                    else if (pending.Length > owner.MaxEventBytes + 1)
                    {
                        // The line cannot fit: report it now and drop its bytes until its newline.
                        _line++;
                        if (!TryTakeIndex(_line, _bufferOffset + _start, out var index))
                        {
                            return;
                        }

                        _items.Add(Invalid(index, _line, null, new Problem(ProblemCodes.EventTooLarge, ProblemSeverity.Error, "$",
                            $"The line is longer than the {owner.MaxEventBytes}-byte event limit.", _bufferOffset + _start)));
                        _discardingLine = true;
                        _start = _end;
                    }

                    return;
                }

                if (_discardingLine)
                {
                    _discardingLine = false;
                }
                else
                {
                    AddLine(pending[..newline]);
                }

                _start += newline + 1;
            }
        }

        private void AddLine(ReadOnlySpan<byte> line)
        {
            _line++;
            if (FirstNonWhiteSpace(line) < 0 || !TryTakeIndex(_line, _bufferOffset + _start, out var index))
            {
                return;
            }

            owner.TryReadLine(line, _line, _bufferOffset + _start, index, out var item);
            _items.Add(item);
        }

        private void ParseFramed()
        {
            while (_mode is Mode.Array or Mode.Sequence)
            {
                var data = _buffer.AsSpan(0, _end);
                var step = _framer.Next(data, ref _scan, _eof, out var start, out var error);
                switch (step)
                {
                    case JsonFramer.Step.NeedMore:
                        if (_framer.InItem && !_skipping && _scan - _itemStart > owner.MaxEventBytes)
                        {
                            // Too large to hold: report it now and discard the rest of it as it arrives.
                            if (!TryTakeIndex(null, _bufferOffset + _itemStart, out var index))
                            {
                                return;
                            }

                            _items.Add(Invalid(index, null, null, new Problem(ProblemCodes.EventTooLarge, ProblemSeverity.Error, "$",
                                $"The event is larger than the {owner.MaxEventBytes}-byte limit.", _bufferOffset + _itemStart)));
                            _skipping = true;
                        }

                        _start = _framer.InItem && !_skipping ? _itemStart : _scan;
                        return;
                    case JsonFramer.Step.ItemStart:
                        _itemStart = start;
                        _start = start;
                        break;
                    case JsonFramer.Step.ItemEnd:
                        if (_skipping)
                        {
                            _skipping = false;
                        }
                        else if (TryTakeIndex(null, _bufferOffset + _itemStart, out var index))
                        {
                            _items.Add(owner.ReadItem(data[_itemStart.._scan], index, null, _bufferOffset + _itemStart));
                        }

                        _start = _scan;
                        break;
                    case JsonFramer.Step.Error:
                        _items.Add(Invalid(_nextIndex++, null, null, new Problem(ProblemCodes.InvalidJson, ProblemSeverity.Error, "$", error!, _bufferOffset + _scan)));
                        _start = _end;
                        _mode = Mode.Done;
                        return;
                    default:
                        _start = _end;
                        _mode = Mode.Done;
                        return;
                }
            }
        }

        /// <summary>The next item's index; past the item limit, reports the one refused item and ends the reading.</summary>
        private bool TryTakeIndex(long? line, long offset, out int index)
        {
            index = _nextIndex++;
            if (index < owner.MaxItems)
            {
                return true;
            }

            _items.Add(owner.TooManyItems(index, line, offset));
            _start = _end;
            _mode = Mode.Done;
            return false;
        }
    }
}
