using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Metadata;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace AnalyticsHub.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IMetadataStore"/> backend shares. A backend's test class derives from this and says
/// how to make an empty store on a clock.
/// </summary>
public abstract class MetadataStoreContractTests
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Makes an empty store that stamps revisions with <paramref name="clock"/>.</summary>
    protected abstract IMetadataStore CreateStore(TimeProvider clock);

    private IMetadataStore CreateStore() => CreateStore(Clock);

    private static MetadataWrite Doc(string id, string body = "{}", MetadataKind kind = MetadataKind.Asset, Dictionary<string, string>? index = null) => new()
    {
        Kind = kind,
        Id = id,
        Document = Encoding.UTF8.GetBytes(body),
        Index = index ?? [],
    };

    private static string Body(MetadataRecord? record) => Encoding.UTF8.GetString(record!.Document.Span);

    // ---- create and read ------------------------------------------------------------------------------

    [Fact]
    public async Task CreateAsync_NewId_StoresRevisionOne()
    {
        var store = CreateStore();

        var result = await store.CreateAsync(Doc("a", """{"v":1}""", index: new() { ["status"] = "active" }));

        Assert.True(result.IsSuccess);
        Assert.Equal(1, result.Record!.Revision);
        Assert.Equal("\"1\"", result.Record.ETag);
        var stored = await store.GetAsync(MetadataKind.Asset, "a");
        Assert.Equal("""{"v":1}""", Body(stored));
        Assert.Equal(1, stored!.Revision);
        Assert.False(stored.IsDeleted);
        Assert.Equal(Clock.GetUtcNow(), stored.RecordedAt);
        Assert.Equal("active", stored.Index["status"]);
    }

    [Fact]
    public async Task CreateAsync_TakenId_IsRefusedAndChangesNothing()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", """{"v":1}"""));

        var again = await store.CreateAsync(Doc("a", """{"v":2}"""));

        Assert.Equal(MetadataWriteStatus.AlreadyExists, again.Status);
        Assert.Equal(ProblemCodes.AlreadyExists, Assert.Single(again.Problems).Code);
        Assert.Equal("""{"v":1}""", Body(await store.GetAsync(MetadataKind.Asset, "a")));
        Assert.Single(await store.GetHistoryAsync(MetadataKind.Asset, "a"));
    }

    [Fact]
    public async Task CreateAsync_IdOfASoftDeletedDocument_IsRefused()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));
        await store.DeleteAsync(MetadataKind.Asset, "a", 1);

        var again = await store.CreateAsync(Doc("a"));

        Assert.Equal(MetadataWriteStatus.AlreadyExists, again.Status);
        Assert.True(again.Record!.IsDeleted);
    }

    [Fact]
    public async Task Kinds_AreSeparateIdSpaces()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("x", """{"k":"asset"}"""));

        var dashboard = await store.CreateAsync(Doc("x", """{"k":"dashboard"}""", MetadataKind.Dashboard));

        Assert.True(dashboard.IsSuccess);
        Assert.Equal("""{"k":"asset"}""", Body(await store.GetAsync(MetadataKind.Asset, "x")));
        Assert.Null(await store.GetAsync(MetadataKind.UserPreferences, "x"));
    }

    [Fact]
    public async Task Stored_Document_IsACopyOfTheCallersBuffer()
    {
        var store = CreateStore();
        var bytes = Encoding.UTF8.GetBytes("""{"v":1}""");
        await store.CreateAsync(new MetadataWrite { Kind = MetadataKind.Asset, Id = "a", Document = bytes, Index = new Dictionary<string, string>() });

        bytes[5] = (byte)'9';

        Assert.Equal("""{"v":1}""", Body(await store.GetAsync(MetadataKind.Asset, "a")));
    }

    // ---- update and optimistic concurrency ------------------------------------------------------------

    [Fact]
    public async Task UpdateAsync_CurrentRevision_AddsTheNextRevision()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", """{"v":1}"""));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var result = await store.UpdateAsync(Doc("a", """{"v":2}""", index: new() { ["status"] = "deprecated" }), 1);

        Assert.True(result.IsSuccess);
        Assert.Equal(2, result.Record!.Revision);
        var stored = await store.GetAsync(MetadataKind.Asset, "a");
        Assert.Equal("""{"v":2}""", Body(stored));
        Assert.Equal(Clock.GetUtcNow(), stored!.RecordedAt);
        Assert.Equal("deprecated", stored.Index["status"]);
    }

    [Fact]
    public async Task UpdateAsync_StaleRevision_IsRefusedAndOverwritesNothing()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", """{"v":1}"""));
        await store.UpdateAsync(Doc("a", """{"v":2}"""), 1);

        var stale = await store.UpdateAsync(Doc("a", """{"v":"lost update"}"""), 1);

        Assert.Equal(MetadataWriteStatus.RevisionConflict, stale.Status);
        var problem = Assert.Single(stale.Problems);
        Assert.Equal(ProblemCodes.RevisionConflict, problem.Code);
        Assert.Equal("revision", problem.Path);
        Assert.Contains("revision 2, not 1", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, stale.Record!.Revision);
        Assert.Equal("""{"v":2}""", Body(await store.GetAsync(MetadataKind.Asset, "a")));
        Assert.Equal(2, (await store.GetHistoryAsync(MetadataKind.Asset, "a")).Count);
    }

    [Fact]
    public async Task UpdateAsync_FutureRevision_IsAConflictToo()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));

        Assert.Equal(MetadataWriteStatus.RevisionConflict, (await store.UpdateAsync(Doc("a"), 7)).Status);
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_IsNotFound()
    {
        var result = await CreateStore().UpdateAsync(Doc("nope"), 1);

        Assert.Equal(MetadataWriteStatus.NotFound, result.Status);
        Assert.Equal(ProblemCodes.NotFound, Assert.Single(result.Problems).Code);
        Assert.Null(result.Record);
    }

    [Fact]
    public async Task UpdateAsync_SameRevisionFromManyWriters_ExactlyOneWins()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () => await store.UpdateAsync(Doc("a", $$"""{"writer":{{i}}}"""), 1))));

        var winner = Assert.Single(results, r => r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(MetadataWriteStatus.RevisionConflict, r.Status));
        Assert.Equal(Body(winner.Record), Body(await store.GetAsync(MetadataKind.Asset, "a")));
        Assert.Equal(2, (await store.GetHistoryAsync(MetadataKind.Asset, "a")).Count);
    }

    // ---- soft delete and restore ----------------------------------------------------------------------

    [Fact]
    public async Task DeleteAsync_KeepsTheDocumentMarkedDeleted()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", """{"v":1}"""));

        var deleted = await store.DeleteAsync(MetadataKind.Asset, "a", 1);

        Assert.True(deleted.IsSuccess);
        var stored = await store.GetAsync(MetadataKind.Asset, "a");
        Assert.True(stored!.IsDeleted);
        Assert.Equal(2, stored.Revision);
        Assert.Equal("""{"v":1}""", Body(stored));
    }

    [Fact]
    public async Task DeletedDocument_CannotBeUpdatedOrDeletedAgain()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));
        await store.DeleteAsync(MetadataKind.Asset, "a", 1);

        var update = await store.UpdateAsync(Doc("a"), 2);
        var delete = await store.DeleteAsync(MetadataKind.Asset, "a", 2);

        Assert.Equal(MetadataWriteStatus.Deleted, update.Status);
        Assert.Equal(ProblemCodes.ItemDeleted, Assert.Single(update.Problems).Code);
        Assert.Equal(MetadataWriteStatus.Deleted, delete.Status);
        Assert.Equal(2, (await store.GetAsync(MetadataKind.Asset, "a"))!.Revision);
    }

    [Fact]
    public async Task RestoreAsync_BringsTheDocumentBack()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", """{"v":1}"""));
        await store.DeleteAsync(MetadataKind.Asset, "a", 1);

        var restored = await store.RestoreAsync(MetadataKind.Asset, "a", 2);

        Assert.True(restored.IsSuccess);
        var stored = await store.GetAsync(MetadataKind.Asset, "a");
        Assert.False(stored!.IsDeleted);
        Assert.Equal(3, stored.Revision);
        Assert.Equal("""{"v":1}""", Body(stored));
        Assert.True((await store.UpdateAsync(Doc("a", """{"v":2}"""), 3)).IsSuccess);
    }

    [Fact]
    public async Task RestoreAsync_LiveDocument_IsNotDeleted()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));

        var result = await store.RestoreAsync(MetadataKind.Asset, "a", 1);

        Assert.Equal(MetadataWriteStatus.NotDeleted, result.Status);
        Assert.Equal(ProblemCodes.ItemNotDeleted, Assert.Single(result.Problems).Code);
    }

    [Fact]
    public async Task DeleteAndRestore_StaleRevision_AreConflicts()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));
        await store.UpdateAsync(Doc("a"), 1);

        Assert.Equal(MetadataWriteStatus.RevisionConflict, (await store.DeleteAsync(MetadataKind.Asset, "a", 1)).Status);
        await store.DeleteAsync(MetadataKind.Asset, "a", 2);
        Assert.Equal(MetadataWriteStatus.RevisionConflict, (await store.RestoreAsync(MetadataKind.Asset, "a", 2)).Status);
        Assert.Equal(MetadataWriteStatus.NotFound, (await store.DeleteAsync(MetadataKind.Asset, "b", 1)).Status);
    }

    // ---- history --------------------------------------------------------------------------------------

    [Fact]
    public async Task GetHistoryAsync_ListsEveryRevisionOldestFirst()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", """{"v":1}"""));
        Clock.Advance(TimeSpan.FromHours(1));
        await store.UpdateAsync(Doc("a", """{"v":2}"""), 1);
        Clock.Advance(TimeSpan.FromHours(1));
        await store.DeleteAsync(MetadataKind.Asset, "a", 2);
        await store.RestoreAsync(MetadataKind.Asset, "a", 3);

        var history = await store.GetHistoryAsync(MetadataKind.Asset, "a");

        Assert.Equal([1L, 2, 3, 4], history.Select(r => r.Revision));
        Assert.Equal([false, false, true, false], history.Select(r => r.IsDeleted));
        Assert.Equal(["""{"v":1}""", """{"v":2}""", """{"v":2}""", """{"v":2}"""], history.Select(Body));
        Assert.True(history[0].RecordedAt < history[1].RecordedAt);
        Assert.Empty(await store.GetHistoryAsync(MetadataKind.Asset, "b"));
    }

    // ---- list -----------------------------------------------------------------------------------------

    [Fact]
    public async Task ListAsync_FiltersAreAndedAndExact()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("m1", index: new() { ["asset_type"] = "model", ["status"] = "active" }));
        await store.CreateAsync(Doc("m2", index: new() { ["asset_type"] = "model", ["status"] = "deprecated" }));
        await store.CreateAsync(Doc("d1", index: new() { ["asset_type"] = "dataset", ["status"] = "active" }));
        await store.CreateAsync(Doc("m3", index: new() { ["asset_type"] = "Model", ["status"] = "active" }));

        var page = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Filters = new Dictionary<string, string> { ["asset_type"] = "model", ["status"] = "active" } });

        Assert.Empty(page.Problems);
        Assert.Equal(["m1"], page.Items.Select(r => r.Id));
        Assert.Equal(1, page.TotalCount);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListAsync_HidesDeletedUnlessAsked_AndReadsTheLatestRevision()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a", index: new() { ["status"] = "active" }));
        await store.CreateAsync(Doc("b", index: new() { ["status"] = "active" }));
        await store.UpdateAsync(Doc("a", index: new() { ["status"] = "archived" }), 1);
        await store.DeleteAsync(MetadataKind.Asset, "b", 1);
        var active = new Dictionary<string, string> { ["status"] = "active" };

        Assert.Empty((await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Filters = active })).Items);
        Assert.Equal(["b"], (await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Filters = active, IncludeDeleted = true })).Items.Select(r => r.Id));
        Assert.Equal(["a"], (await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset })).Items.Select(r => r.Id));
    }

    [Property(MaxTest = 60)]
    public Property ListAsync_CursorPages_VisitEachMatchOnceInIdOrder(PositiveInt limit, NonEmptyArray<(byte Id, bool Even)> items)
    {
        var store = CreateStore();
        var ids = new List<(string Id, bool Even)>();
        foreach (var (id, even) in items.Get)
        {
            var name = "doc-" + id;
            if (store.CreateAsync(Doc(name, index: new() { ["even"] = even ? "yes" : "no" })).AsTask().Result.IsSuccess)
            {
                ids.Add((name, even));
            }
        }

        var expected = ids.Where(i => i.Even).Select(i => i.Id).Order(StringComparer.Ordinal).ToList();
        var query = new MetadataQuery { Kind = MetadataKind.Asset, Filters = new Dictionary<string, string> { ["even"] = "yes" }, Limit = 1 + (limit.Get % 7) };
        var seen = new List<string>();
        var totals = new HashSet<long>();
        for (var pages = 0; pages <= expected.Count + 1; pages++)
        {
            var page = store.ListAsync(query).AsTask().Result;
            seen.AddRange(page.Items.Select(r => r.Id));
            totals.Add(page.TotalCount);
            if (page.NextCursor is null || page.Items.Count > query.Limit)
            {
                break;
            }

            query = query with { Cursor = page.NextCursor };
        }

        return (seen.SequenceEqual(expected) && totals.SetEquals([expected.Count])).ToProperty();
    }

    [Fact]
    public async Task ListAsync_BadArguments_ComeBackAsProblems()
    {
        var store = CreateStore();
        await store.CreateAsync(Doc("a"));
        await store.CreateAsync(Doc("b"));
        var first = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Limit = 1 });

        var otherQuery = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Limit = 1, IncludeDeleted = true, Cursor = first.NextCursor });
        var malformed = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Cursor = "%%%" });
        var limit = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Limit = 0 });

        Assert.NotNull(first.NextCursor);
        Assert.Equal(("invalid_cursor", "cursor"), (Assert.Single(otherQuery.Problems).Code, otherQuery.Problems[0].Path));
        Assert.Empty(otherQuery.Items);
        Assert.Equal("invalid_cursor", Assert.Single(malformed.Problems).Code);
        Assert.Equal(("number_out_of_range", "limit"), (Assert.Single(limit.Problems).Code, limit.Problems[0].Path));
    }

    [Fact]
    public async Task ListAsync_CursorIgnoresTheLimit_SoPagesMayGrow()
    {
        var store = CreateStore();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await store.CreateAsync(Doc(id));
        }

        var first = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Limit = 1 });
        var rest = await store.ListAsync(new MetadataQuery { Kind = MetadataKind.Asset, Limit = 10, Cursor = first.NextCursor });

        Assert.Equal(["b", "c", "d"], rest.Items.Select(r => r.Id));
    }
}
