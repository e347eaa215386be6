namespace AnalyticsHub.Evaluation.Nab;

/// <summary>The tally of every file of one category.</summary>
/// <param name="Category">The category, for example <c>realTweets</c>.</param>
/// <param name="Tally">The sum of the category's file tallies.</param>
public sealed record NabCategoryResult(string Category, NabTally Tally);
