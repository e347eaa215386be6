namespace AnalyticsHub.Events.Json;

/// <summary>
/// The state of one read: the problems found, the path to the value being read, and the slots of
/// the objects under construction. Reused per thread so a clean read allocates nothing of its own.
/// </summary>
internal sealed class JsonReadContext
{
    [ThreadStatic]
    private static JsonReadContext? t_cached;

    private FieldSlot[] _slots = new FieldSlot[64];
    private int _slotTop;
    private PathSegment[] _path = new PathSegment[16];
    private int _depth;
    private List<Problem>? _problems;

    /// <summary>The absolute offset of the span the current reader runs over.</summary>
    public long BaseOffset { get; set; }

    public bool HasErrors { get; private set; }

    public FieldSlot[] Slots => _slots;

    public static JsonReadContext Rent()
    {
        var context = t_cached ?? new JsonReadContext();
        t_cached = null;
        return context;
    }

    public static void Return(JsonReadContext context)
    {
        context.Reset();
        t_cached = context;
    }

    /// <summary>The problems found so far (owned by the caller after this call), or an empty list.</summary>
    public IReadOnlyList<Problem> TakeProblems()
    {
        IReadOnlyList<Problem> problems = _problems is null ? [] : _problems;
        _problems = null;
        return problems;
    }

    /// <summary>Forgets the problems found so far, e.g. when a syntax error makes them noise.</summary>
    public void ClearProblems()
    {
        _problems = null;
        HasErrors = false;
    }

    public int PushFrame(int count)
    {
        if (_slotTop + count > _slots.Length)
        {
            Array.Resize(ref _slots, Math.Max(_slots.Length * 2, _slotTop + count));
        }

        var frame = _slotTop;
        Array.Clear(_slots, frame, count);
        _slotTop += count;
        return frame;
    }

    public void PopFrame(int frame, int count)
    {
        Array.Clear(_slots, frame, count);
        _slotTop = frame;
    }

    public void PushPath(string name)
    {
        EnsurePathCapacity();
        _path[_depth++] = new PathSegment(name, -1);
    }

    public void PushIndex(int index)
    {
        EnsurePathCapacity();
        _path[_depth++] = new PathSegment(null, index);
    }

    public void PopPath() => _depth--;

    public void Error(string code, string message, long tokenStart) =>
        Add(new Problem(code, ProblemSeverity.Error, CurrentPath(), message, BaseOffset + tokenStart));

    /// <summary>Reports a problem at a child of the current path (e.g. a missing field).</summary>
    public void ErrorAtChild(string child, string code, string message, long tokenStart)
    {
        PushPath(child);
        Error(code, message, tokenStart);
        PopPath();
    }

    public string CurrentPath()
    {
        if (_depth == 0)
        {
            return "$";
        }

        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < _depth; i++)
        {
            var segment = _path[i];
            if (segment.Name is null)
            {
                builder.Append('[').Append(segment.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(segment.Name);
            }
        }

        return builder.ToString();
    }

    private void Add(Problem problem)
    {
        (_problems ??= []).Add(problem);
        HasErrors |= problem.IsError;
    }

    private void EnsurePathCapacity()
    {
        if (_depth == _path.Length)
        {
            Array.Resize(ref _path, _path.Length * 2);
        }
    }

    private void Reset()
    {
        Array.Clear(_slots, 0, _slotTop);
        _slotTop = 0;
        _depth = 0;
        _problems = null;
        HasErrors = false;
        BaseOffset = 0;
    }

    private readonly record struct PathSegment(string? Name, int Index);
}
