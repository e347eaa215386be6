namespace AnalyticsHub.Correlation.RootCause;

/// <summary>
/// One piece of evidence about a root-cause candidate: a named feature with a value in [0, 1], its weight in the
/// candidate's confidence, and the sentence that explains it (written into <see cref="RootCauseCandidate.Evidence"/>).
/// </summary>
/// <param name="Name">The feature's name (<c>lag</c>, <c>entity</c>, <c>specificity</c>, <c>counterfactual</c>, <c>failover</c>, <c>explained</c>, <c>own</c>).</param>
/// <param name="Value">How strongly it speaks for the candidate, in [0, 1].</param>
/// <param name="Weight">Its weight in the weighted mean (ignored for a factor).</param>
/// <param name="Sentence">One sentence for people.</param>
/// <param name="IsFactor">Whether the value multiplies the weighted mean of the other features instead of joining it.</param>
internal readonly record struct RootCauseFeature(string Name, double Value, double Weight, string Sentence, bool IsFactor = false);
