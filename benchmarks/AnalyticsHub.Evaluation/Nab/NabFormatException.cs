namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The exception thrown when a NAB-format folder, series file or windows file is malformed.</summary>
/// <remarks>The message names the file and, where one applies, the 1-based line.</remarks>
public sealed class NabFormatException : Exception
{
    /// <summary>Creates an exception for a problem in <paramref name="filePath"/> at an optional 1-based line.</summary>
    /// <param name="filePath">The path of the offending file.</param>
    /// <param name="lineNumber">The 1-based line of the problem, or <see langword="null"/> when no line applies.</param>
    /// <param name="problem">What is wrong, in plain words.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public NabFormatException(string filePath, int? lineNumber, string problem, Exception? innerException = null)
        : base(FormatMessage(filePath, lineNumber, problem), innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>Creates an exception with only a message (prefer the constructor that names the file).</summary>
    public NabFormatException()
        : this(string.Empty, null, "malformed NAB data")
    {
    }

    /// <summary>Creates an exception with only a message (prefer the constructor that names the file).</summary>
    /// <param name="message">The problem.</param>
    public NabFormatException(string message)
        : this(string.Empty, null, message)
    {
    }

    /// <summary>Creates an exception with only a message and a cause (prefer the constructor that names the file).</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The underlying exception.</param>
    public NabFormatException(string message, Exception innerException)
        : this(string.Empty, null, message, innerException)
    {
    }

    /// <summary>Gets the path of the offending file.</summary>
    public string FilePath { get; }

    /// <summary>Gets the 1-based line of the problem, or <see langword="null"/> when no line applies.</summary>
    public int? LineNumber { get; }

    /// <summary>Gets what is wrong, without the file and line prefix.</summary>
    public string Problem { get; }

    private static string FormatMessage(string filePath, int? lineNumber, string problem)
    {
        if (filePath.Length == 0)
        {
            return problem;
        }

        return lineNumber is { } line
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{filePath}({line}): {problem}")
            : $"{filePath}: {problem}";
    }
}
