using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AnalyticsHub.Events;

/// <summary>
/// The one read-and-validate entry point for single events and batches: a JSON array or NDJSON (one
/// event per line), from bytes or incrementally from a <see cref="Stream"/>, with a result per item.
/// </summary>
/// <remarks>
/// One bad item never spoils the others. An NDJSON line that is not JSON is reported with its line
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

    private int MaxEventBytes => Validator.Options.MaxEventBytes;

    /// <summary>Reads and validates one event holding exactly one JSON object.</summary>
    public EventItemResult ReadEvent(ReadOnlySpan<byte> utf8Json) => ReadItem(utf8Json, 0, null, 0);

    /// <summary>Reads and validates a batch: a JSON array, or NDJSON when the input does not start with <c>[</c>.</summary>
    public IReadOnlyList<EventItemResult> ReadBatch(ReadOnlySpan<byte> utf8)
    {
        var results = new List<EventItemResult>();
        var first = FirstNonWhiteSpace(utf8);
        if (first >= 0 && utf8[first] == '[')
        {
            ReadArray(utf8, results);
        }
        else
        {
            ReadLines(utf8, results);
        }

        return results;
    }

    /// <summary>
    /// Reads and validates a batch from <paramref name="stream"/> as it arrives: a JSON array, or NDJSON
    /// when the first non-blank byte is not <c>[</c>.
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

    private void ReadArray(ReadOnlySpan<byte> utf8, List<EventItemResult> results)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                results.Add(ReadItem(utf8[start..end], results.Count, null, start));
            }

            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            results.Add(SyntaxError(results.Count, null, ex, reader.BytesConsumed));
        }
    }

    private static EventItemResult SyntaxError(int index, long? line, JsonException ex, long offset)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return Invalid(index, line, null, new Problem(ProblemCodes.InvalidJson, ProblemSeverity.Error, "$",
            cut > 0 ? message[..cut] : message, offset));
    }

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

    /// <summary>The incremental state of <see cref="ReadBatchAsync"/>: a bounded buffer and the parse position.</summary>
    private sealed class StreamParser(EventBatchReader owner) : IDisposable
    {
        private enum Mode
        {
            Detect,
            Lines,
            Array,
            Done,
        }

        private readonly List<EventItemResult> _items = [];
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        private int _start;
        private int _end;
        private long _bufferOffset;
        private bool _eof;
        private Mode _mode = Mode.Detect;
        private int _nextIndex;

        // NDJSON state.
        private long _line;
        private bool _discardingLine;

        // Array state.
        private JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 64 });
        private bool _arrayStarted;
        private bool _arrayClosed;
        private int _skipDepth = -1;

        public bool Finished => _mode == Mode.Done;

        private int MaxBuffer => owner.MaxEventBytes + 2;

        public Memory<byte> PrepareRead()
        {
            if (_start > 0 && (_start == _end || _start > _buffer.Length / 2 || _end == _buffer.Length))
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _bufferOffset += _start;
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            return _buffer.AsMemory(_end);
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

                    return;
                }

                _mode = _buffer[_start + first] == '[' ? Mode.Array : Mode.Lines;
            }

            if (_mode == Mode.Lines)
            {
                ParseLines();
            }
            else if (_mode == Mode.Array)
            {
                ParseArray();
            }
        }

        private void ParseLines()
        {
            while (true)
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
                        _items.Add(Invalid(NextIndex(), _line, null, new Problem(ProblemCodes.EventTooLarge, ProblemSeverity.Error, "$",
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
            if (owner.TryReadLine(line, _line, _bufferOffset + _start, _nextIndex, out var item))
            {
                _nextIndex++;
                _items.Add(item);
            }
        }

        private void ParseArray()
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            try
            {
                while (true)
                {
                    var checkpoint = reader;
                    if (_skipDepth >= 0)
                    {
                        // Dropping an element that is over the size limit, token by token.
                        if (!reader.Read())
                        {
                            break;
                        }

                        if (reader.CurrentDepth <= _skipDepth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                        {
                            _skipDepth = -1;
                        }

                        continue;
                    }

                    if (!reader.Read())
                    {
                        reader = checkpoint;
                        break;
                    }

                    if (!_arrayStarted)
                    {
                        _arrayStarted = true;
                        continue;
                    }

                    if (_arrayClosed || (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0))
                    {
                        // After the array only white space may follow; the reader throws on anything else.
                        _arrayClosed = true;
                        continue;
                    }

                    var elementStart = (int)reader.TokenStartIndex;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                    {
                        if (_end - _start - elementStart > owner.MaxEventBytes)
                        {
                            _items.Add(Invalid(NextIndex(), null, null, new Problem(ProblemCodes.EventTooLarge, ProblemSeverity.Error, "$",
                                $"The event is larger than the {owner.MaxEventBytes}-byte limit.", _bufferOffset + _start + elementStart)));
                            _skipDepth = reader.CurrentDepth;
                            continue;
                        }

                        reader = checkpoint;
                        break;
                    }

                    var element = _buffer.AsSpan(_start + elementStart, (int)reader.BytesConsumed - elementStart);
                    _items.Add(owner.ReadItem(element, NextIndex(), null, _bufferOffset + _start + elementStart));
                }

                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                if (_eof && _arrayClosed)
                {
                    _mode = Mode.Done;
                }
                else if (_eof)
                {
                    _items.Add(Invalid(NextIndex(), null, null, new Problem(ProblemCodes.InvalidJson, ProblemSeverity.Error, "$",
                        "The JSON array ends before it is closed.", _bufferOffset + _start)));
                    _mode = Mode.Done;
                }
                else if (!_eof && _end - _start >= MaxBuffer && _skipDepth < 0)
                {
                    _items.Add(Invalid(NextIndex(), null, null, new Problem(ProblemCodes.EventTooLarge, ProblemSeverity.Error, "$",
                        $"A single JSON value is larger than the {owner.MaxEventBytes}-byte limit.", _bufferOffset + _start)));
                    _mode = Mode.Done;
                }
            }
            catch (JsonException ex)
            {
                _items.Add(SyntaxError(NextIndex(), null, ex, _bufferOffset + _start + reader.BytesConsumed));
                _mode = Mode.Done;
            }
        }

        /// <summary>Item indexes run across the whole stream, not per chunk.</summary>
        private int NextIndex() => _nextIndex++;
    }
}
