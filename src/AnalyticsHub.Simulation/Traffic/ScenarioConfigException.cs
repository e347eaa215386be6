namespace AnalyticsHub.Simulation.Traffic;

/// <summary>A scenario config that can't be used: malformed JSON or values out of range, each problem with its JSON path.</summary>
public sealed class ScenarioConfigException : Exception
{
    /// <summary>Creates the exception for the given problems.</summary>
    /// <param name="problems">Every problem found, each naming its JSON path (e.g. <c>$.knobs.noise</c>).</param>
    public ScenarioConfigException(IReadOnlyList<ScenarioConfigProblem> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="path">The JSON path of the offending value.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The underlying exception, when there is one.</param>
    public ScenarioConfigException(string path, string message, Exception? inner = null)
        : base(Format([new ScenarioConfigProblem(path, message)]), inner)
    {
        Problems = [new ScenarioConfigProblem(path, message)];
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ScenarioConfigException()
        : this("$", "The scenario config is invalid.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong.</param>
    public ScenarioConfigException(string message)
        : this("$", message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The underlying exception.</param>
    public ScenarioConfigException(string message, Exception innerException)
        : this("$", message, innerException)
    {
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ScenarioConfigProblem> Problems { get; }

    /// <summary>The JSON path of the first problem.</summary>
    public string Path => Problems[0].Path;

    private static string Format(IReadOnlyList<ScenarioConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            throw new ArgumentException("At least one problem is needed.", nameof(problems));
        }

        var parts = new string[problems.Count];
        for (var i = 0; i < problems.Count; i++)
        {
            parts[i] = $"{problems[i].Path}: {problems[i].Message}";
        }

        return "Invalid scenario config: " + string.Join(" ", parts);
    }
}
