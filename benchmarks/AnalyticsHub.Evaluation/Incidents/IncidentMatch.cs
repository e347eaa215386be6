namespace AnalyticsHub.Evaluation.Incidents;

/// <summary>A true incident matched to a predicted one.</summary>
/// <param name="TrueIndex">The true incident's index in the ground truth.</param>
/// <param name="PredictedIndex">The predicted incident's index in the engine's list.</param>
/// <param name="Intersection">Events in both.</param>
/// <param name="Union">Events in either.</param>
public readonly record struct IncidentMatch(int TrueIndex, int PredictedIndex, int Intersection, int Union)
{
    /// <summary>The Jaccard index, <see cref="Intersection"/> / <see cref="Union"/>.</summary>
    public double Jaccard => Union == 0 ? 0 : (double)Intersection / Union;
}
