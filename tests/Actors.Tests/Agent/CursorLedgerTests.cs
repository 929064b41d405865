using NodeHealth.Actors.Agent.Logs;

namespace NodeHealth.Actors.Tests.Agent;

public sealed class CursorLedgerTests
{
    [Fact]
    public void Open_block_holds_the_position_before_the_read_it_started_in_until_it_closes()
    {
        var ledger = new CursorLedger();
        ledger.Resumed("b1:4");

        ledger.AfterRead("b1:5", firstLine: 1, openBlockLine: null);
        Assert.Equal("b1:5", ledger.Settled);
        ledger.AfterRead("b1:7", firstLine: 2, openBlockLine: 3);
        Assert.Equal("b1:5", ledger.Settled);
        ledger.AfterRead("b1:9", firstLine: 4, openBlockLine: 3);
        Assert.Equal("b1:5", ledger.Settled);
        ledger.AfterFlush(openBlockLine: 3);
        Assert.Equal("b1:5", ledger.Settled);

        ledger.AfterFlush(openBlockLine: null);
        Assert.Equal("b1:9", ledger.Settled);
    }

    [Fact]
    public void Publish_cursor_differs_from_the_last_one_handed_over_and_resumes_at_the_source_position()
    {
        var ledger = new CursorLedger();
        ledger.Resumed("b1:5");
        ledger.AfterRead(null, firstLine: 1, openBlockLine: null);

        var first = ledger.ToPublish();
        var second = ledger.ToPublish();

        Assert.NotEqual("b1:5", first);
        Assert.NotEqual(first, second);
        Assert.Equal("b1:5", CursorLedger.SourcePart(first));
        Assert.Equal("b1:5", CursorLedger.SourcePart(second));
        Assert.Null(CursorLedger.SourcePart(null));
        Assert.Equal("b1:5", CursorLedger.SourcePart("b1:5")); // Saved by an agent before the ledger.
    }

    [Fact]
    public void Position_is_saved_once_and_only_when_it_moved()
    {
        var ledger = new CursorLedger();
        ledger.Resumed("41");
        Assert.Null(ledger.ToSave());

        ledger.AfterRead("42", firstLine: 1, openBlockLine: null);

        Assert.Equal("42", ledger.ToSave());
        Assert.Null(ledger.ToSave());
        Assert.Equal("42", ledger.ToPublish().Split('\u001F')[0]);
    }
}
