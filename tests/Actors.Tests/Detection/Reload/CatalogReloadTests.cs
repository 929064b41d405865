using Akka.Actor;
using Akka.TestKit.Xunit2;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Reload;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Tests.Detection.Reload;

public sealed class CatalogReloadTests : TestKit, IDisposable
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"nh-catalog-{Guid.NewGuid():N}.yaml");

    private static string Catalog(string reason, string match = "reload-test (?<what>.+)") => $"""
        conditions:
          - type: KernelReady
            reasons:
              - reason: {reason}
                severity: Warning
                source: kmsg
                match: '{match}'
                description: A reason the reload tests add.
        """;

    private CatalogHolder StartWatching()
    {
        var holder = CatalogHolder.Load([_file], CatalogLoader.Load);
        Sys.EventStream.Subscribe(TestActor, typeof(CatalogChanged));
        Sys.EventStream.Subscribe(TestActor, typeof(CatalogRejected));
        Sys.ActorOf(Props.Create(() => new CatalogWatcher(holder, new[] { _file }, PollEvery, CatalogLoader.Load)));
        return holder;
    }

    [Fact]
    public void Fingerprint_changes_with_the_content_and_a_missing_file_only()
    {
        var original = FileFingerprint.Of([("/etc/nh/a.yaml", "rules: 1"u8.ToArray())]);

        Assert.Equal(original, FileFingerprint.Of([("/etc/nh/a.yaml", "rules: 1"u8.ToArray())]));
        Assert.NotEqual(original, FileFingerprint.Of([("/etc/nh/a.yaml", "rules: 2"u8.ToArray())]));
        Assert.NotEqual(original, FileFingerprint.Of([("/etc/nh/a.yaml", null)]));
        Assert.NotEqual(FileFingerprint.Of([("/etc/nh/a.yaml", null)]), FileFingerprint.Of([("/etc/nh/a.yaml", Array.Empty<byte>())]));
        Assert.NotEqual(original, FileFingerprint.Of([("/etc/nh/b.yaml", "rules: 1"u8.ToArray())]));
    }

    [Fact]
    public void Refused_edit_keeps_the_last_good_catalog_until_one_loads()
    {
        var good = CatalogLoader.LoadBuiltIn();
        var holder = new CatalogHolder(good, "v1");

        holder.Reject("ops.yaml (line 3): bad", "v2");
        Assert.Same(good, holder.Current);
        Assert.Equal("ops.yaml (line 3): bad", holder.Problem);
        Assert.Equal("v2", holder.Fingerprint);

        var fixedCatalog = CatalogLoader.LoadBuiltIn();
        holder.Accept(fixedCatalog, "v3");
        Assert.Same(fixedCatalog, holder.Current);
        Assert.Null(holder.Problem);
    }

    [Fact]
    public void Refused_edit_is_told_in_the_status_detail_and_nowhere_else()
    {
        Assert.Equal("Watching /dev/kmsg", CatalogReloads.Detail("Watching /dev/kmsg", problem: null));
        Assert.Equal("Watching /dev/kmsg. Catalog edit refused, the last good rules keep running: /etc/nh/ops.yaml (line 4): bad regex",
            CatalogReloads.Detail("Watching /dev/kmsg", "/etc/nh/ops.yaml (line 4): bad regex"));
    }

    [Fact]
    public void Edited_file_is_loaded_within_seconds_and_announced()
    {
        File.WriteAllText(_file, Catalog("ReloadFirst"));
        var holder = StartWatching();

        File.WriteAllText(_file, Catalog("ReloadSecond"));

        var changed = ExpectMsg<CatalogChanged>(TimeSpan.FromSeconds(5));
        Assert.NotNull(changed.Catalog.Rule(ConditionType.KernelReady, "ReloadSecond"));
        Assert.Same(changed.Catalog, holder.Current);
        Assert.Null(holder.Current.Rule(ConditionType.KernelReady, "ReloadFirst"));
    }

    [Fact]
    public void Unchanged_file_is_not_reloaded()
    {
        File.WriteAllText(_file, Catalog("ReloadFirst"));
        StartWatching();

        File.WriteAllText(_file, Catalog("ReloadFirst"));

        ExpectNoMsg(TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public void Broken_edit_keeps_the_old_rules_and_names_the_file_until_it_is_fixed()
    {
        File.WriteAllText(_file, Catalog("ReloadFirst"));
        var holder = StartWatching();
        var good = holder.Current;

        File.WriteAllText(_file, Catalog("ReloadBroken", match: "unclosed (group"));

        var rejected = ExpectMsg<CatalogRejected>(TimeSpan.FromSeconds(5));
        Assert.Contains(_file, rejected.Problem);
        Assert.Same(good, holder.Current);
        Assert.Equal(rejected.Problem, holder.Problem);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // Refused once, not at every poll.

        File.WriteAllText(_file, Catalog("ReloadFixed"));

        Assert.NotNull(ExpectMsg<CatalogChanged>(TimeSpan.FromSeconds(5)).Catalog.Rule(ConditionType.KernelReady, "ReloadFixed"));
        Assert.Null(holder.Problem);
    }

    void IDisposable.Dispose()
    {
        File.Delete(_file);
        Dispose();
    }
}
