using AnalyticsHub.Metadata;
using AnalyticsHub.Storage.InMemory;

namespace AnalyticsHub.Tests.Storage;

public sealed class InMemoryMetadataStoreContractTests : MetadataStoreContractTests
{
    protected override IMetadataStore CreateStore(TimeProvider clock) => new InMemoryMetadataStore(clock);
}
