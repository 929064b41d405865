using NodeHealth.Actors.Detection;

namespace NodeHealth.Actors.Tests.Detection;

public sealed class KmsgRecordTests
{
    [Fact]
    public void Record_with_continuation_lines_keeps_the_first_line_as_text()
    {
        var record = KmsgRecord.TryParse("6,1234,5678901,-,caller=T12;usb 1-1: new high-speed USB device\n SUBSYSTEM=usb\n DEVICE=c189:1\n", out var error);

        Assert.Null(error);
        Assert.Equal(new KmsgRecord(6, 1234, 5678901, "usb 1-1: new high-speed USB device"), record);
    }

    [Fact]
    public void Line_written_from_user_space_keeps_its_facility_and_level()
    {
        var record = KmsgRecord.TryParse("12,99,100,-;watchdog: BUG: soft lockup", out _);

        Assert.Equal(12, record!.Priority);
        Assert.Equal(4, record.Level);
    }

    [Theory]
    [InlineData("no header at all")]
    [InlineData("6,1;two fields")]
    [InlineData("x,1,2,-;not a number")]
    [InlineData(";empty header")]
    [InlineData("6,-1,2,-;negative sequence")]
    public void Malformed_record_is_reported_not_thrown(string raw)
    {
        Assert.Null(KmsgRecord.TryParse(raw, out var error));
        Assert.NotNull(error);
    }
}
