using AnalyticsHub.Cost;
using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.Tests.Storage;

public sealed class InMemoryBudgetStateStoreContractTests : BudgetStateStoreContractTests
{
    protected override IBudgetStateStore CreateStore() => new InMemoryBudgetStateStore();
}
