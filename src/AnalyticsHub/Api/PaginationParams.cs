using System.Globalization;
using AnalyticsHub.Events;

namespace AnalyticsHub.Api;

/// <summary>The paging arguments of a request: page, page size and sort.</summary>
public sealed record PaginationParams
{
    /// <summary>The default page size.</summary>
    public const uint DefaultPerPage = 50;

    /// <summary>The largest page size (decision 21).</summary>
    public const uint MaxPerPage = 1000;

    /// <summary>How deep offset paging reaches: the first row of a page must lie within this many rows (decision 21); use a cursor beyond.</summary>
    public const ulong MaxOffsetRows = 10_000;

    /// <summary>The page, from 1; 1 by default.</summary>
    public uint Page { get; init; } = 1;

    /// <summary>Items per page, 1..<see cref="MaxPerPage"/>; <see cref="DefaultPerPage"/> by default.</summary>
    public uint PerPage { get; init; } = DefaultPerPage;

    /// <summary>The field to sort by; left out of the JSON when absent.</summary>
    public string? SortBy { get; init; }

    /// <summary>The sort direction; left out of the JSON when absent.</summary>
    public SortOrder? SortOrder { get; init; }

    /// <summary>The zero-based index of the page's first row.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ulong Offset => ((ulong)Math.Max(Page, 1u) - 1) * PerPage;

    /// <summary>Checks the bounds of decision 21; the problems' paths are <c>page</c> and <c>per_page</c>.</summary>
    /// <returns>The problems; empty when valid.</returns>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        AddProblems(problems, Page, PerPage);
        return problems;
    }

    internal static void AddProblems(List<Problem> problems, uint page, uint perPage)
    {
        if (page == 0)
        {
            problems.Add(new Problem(ProblemCodes.NumberOutOfRange, ProblemSeverity.Error, "page", "page must be at least 1."));
        }

        if (perPage is 0 or > MaxPerPage)
        {
            problems.Add(new Problem(
                ProblemCodes.NumberOutOfRange,
                ProblemSeverity.Error,
                "per_page",
                string.Create(CultureInfo.InvariantCulture, $"per_page must be between 1 and {MaxPerPage}; got {perPage}.")));
        }
        else if (page > 0 && ((ulong)page - 1) * perPage >= MaxOffsetRows)
        {
            problems.Add(new Problem(
                ProblemCodes.NumberOutOfRange,
                ProblemSeverity.Error,
                "page",
                string.Create(CultureInfo.InvariantCulture, $"Offset pages reach the first {MaxOffsetRows} rows; page {page} of {perPage} starts beyond. Use next_cursor to go deeper.")));
        }
    }
}
