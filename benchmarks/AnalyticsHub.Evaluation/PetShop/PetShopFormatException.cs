namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>The exception thrown when a PetShop-layout folder or one of its files is malformed.</summary>
/// <remarks>The message is <c>&lt;code&gt; at &lt;path&gt;: &lt;problem&gt;</c>; the path names the file (with <c>:line</c> for a CSV row or <c>#field</c> for a JSON field).</remarks>
public sealed class PetShopFormatException : Exception
{
    /// <summary>Creates an exception with a code, the offending path and the problem.</summary>
    /// <param name="code">A stable code: <c>missing_folder</c>, <c>missing_file</c>, <c>no_scenarios</c>, <c>bad_header</c>, <c>ragged_row</c>, <c>not_a_number</c>, <c>time_order</c>, <c>bad_graph</c>, <c>bad_json</c>, <c>missing_field</c>, <c>unknown_node</c>.</param>
    /// <param name="path">The offending file or folder, with <c>:line</c> or <c>#field</c> when one applies.</param>
    /// <param name="problem">What is wrong, in plain words.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public PetShopFormatException(string code, string path, string problem, Exception? innerException = null)
        : base($"{code} at {path}: {problem}", innerException)
    {
        Code = code;
        Path = path;
        Problem = problem;
    }

    /// <summary>Creates an exception with only a message (prefer the constructor with a code and path).</summary>
    public PetShopFormatException()
        : this("malformed", string.Empty, "malformed PetShop data")
    {
    }

    /// <summary>Creates an exception with only a message (prefer the constructor with a code and path).</summary>
    /// <param name="message">The problem.</param>
    public PetShopFormatException(string message)
        : this("malformed", string.Empty, message)
    {
    }

    /// <summary>Creates an exception with only a message and a cause (prefer the constructor with a code and path).</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The underlying exception.</param>
    public PetShopFormatException(string message, Exception innerException)
        : this("malformed", string.Empty, message, innerException)
    {
    }

    /// <summary>Gets the stable code of the problem.</summary>
    public string Code { get; }

    /// <summary>Gets the offending file or folder.</summary>
    public string Path { get; }

    /// <summary>Gets what is wrong, without the code and path.</summary>
    public string Problem { get; }
}
