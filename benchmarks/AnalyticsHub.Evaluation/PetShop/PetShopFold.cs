namespace AnalyticsHub.Evaluation.PetShop;

/// <summary>The knobs one held-out scenario was scored with, chosen on the other scenarios, and its counts.</summary>
internal sealed record PetShopFold(string HeldOut, double Threshold, TimeSpan Window, PetShopCell Cell);
