using NodeHealth.Actors.Agent.Reboot;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Agent.Reboot;

public sealed class CommandLedgerTests : IDisposable
{
    private static readonly DateTime T0 = new(2026, 11, 27, 22, 0, 0, DateTimeKind.Utc);
    private readonly string _state = Path.Combine(Path.GetTempPath(), "ledger-" + Guid.NewGuid().ToString("N"));

    private static CommandRecord Record(string id, CommandProgress progress) => new(id, AgentCommandKind.Reboot, progress, "", "boot-a", T0);

    [Fact]
    public void The_latest_record_of_an_id_is_read_back_and_a_line_torn_by_a_crash_is_skipped()
    {
        var ledger = CommandLedger.Open(_state);
        ledger.Record(Record("repair-17", CommandProgress.Started));
        ledger.Record(Record("repair-17", CommandProgress.Accepted));
        File.AppendAllText(ledger.FilePath, "{\"Id\":\"repair-18\",\"Kin");

        var reopened = CommandLedger.Open(_state);

        Assert.Equal(CommandProgress.Accepted, reopened.Find("repair-17")?.Progress);
        Assert.Null(reopened.Find("repair-18"));
        Assert.Equal(1, reopened.CorruptRecords);

        reopened.Record(Record("repair-19", CommandProgress.Started)); // Not glued onto the torn line.
        Assert.Equal(CommandProgress.Started, CommandLedger.Open(_state).Find("repair-19")?.Progress);
    }

    [Fact]
    public void The_file_stays_bounded_and_keeps_the_newest_ids()
    {
        var ledger = CommandLedger.Open(_state, kept: 4);
        for (var i = 0; i < 20; i++)
            ledger.Record(Record($"repair-{i}", CommandProgress.Accepted));

        var reopened = CommandLedger.Open(_state, kept: 4);

        Assert.InRange(File.ReadAllLines(ledger.FilePath).Length, 4, 8);
        Assert.Equal(["repair-16", "repair-17", "repair-18", "repair-19"], Enumerable.Range(0, 20).Select(i => $"repair-{i}").Where(id => reopened.Find(id) is not null));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
