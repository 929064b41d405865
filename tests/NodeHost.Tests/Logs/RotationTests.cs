using System.Text;
using NodeHealth.NodeHost.Logs.Files;

namespace NodeHealth.NodeHost.Tests.Logs;

public sealed class RotationTests
{
    [Fact]
    public void Cursor_is_inode_and_offset_and_survives_a_round_trip()
    {
        var position = new FilePosition(1234567, 89);

        Assert.Equal("1234567:89", position.Format());
        Assert.Equal(position, FilePosition.Parse("1234567:89"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData(":5")]
    [InlineData("12:")]
    [InlineData("-1:5")]
    [InlineData("12:-5")]
    [InlineData("s=abc;i=1")]
    public void Malformed_cursor_means_no_cursor(string? cursor) => Assert.Null(FilePosition.Parse(cursor));

    [Theory]
    [InlineData(7ul, 100L, 7ul, 100L, FileChange.Unchanged)]
    [InlineData(7ul, 100L, 7ul, 150L, FileChange.Grew)]
    [InlineData(7ul, 100L, 7ul, 0L, FileChange.Truncated)]
    [InlineData(7ul, 100L, 7ul, 99L, FileChange.Truncated)]
    [InlineData(7ul, 100L, 8ul, 500L, FileChange.Replaced)]
    [InlineData(7ul, 100L, 8ul, 0L, FileChange.Replaced)]
    public void File_at_the_path_is_compared_by_inode_then_size(ulong reading, long offset, ulong inode, long size, FileChange expected) =>
        Assert.Equal(expected, Rotation.Decide(reading, offset, new FileIdentity(inode, size)));

    [Fact]
    public void No_file_at_the_path_is_missing_not_rotated() => Assert.Equal(FileChange.Missing, Rotation.Decide(7, 100, null));

    [Fact]
    public void Start_follows_the_saved_file()
    {
        Assert.Equal(StartAt.WhenCreated, Rotation.Start(null, null));
        Assert.Equal(StartAt.End, Rotation.Start(null, new FileIdentity(7, 100)));
        Assert.Equal(StartAt.Saved, Rotation.Start(new FilePosition(7, 100), new FileIdentity(7, 100)));
        Assert.Equal(StartAt.Saved, Rotation.Start(new FilePosition(7, 40), new FileIdentity(7, 100)));
        Assert.Equal(StartAt.Beginning, Rotation.Start(new FilePosition(7, 140), new FileIdentity(7, 100)));
        Assert.Equal(StartAt.RestOfRotated, Rotation.Start(new FilePosition(7, 40), new FileIdentity(8, 100)));
        Assert.Equal(StartAt.RestOfRotated, Rotation.Start(new FilePosition(7, 40), null));
    }

    [Fact]
    public void Lines_are_held_until_their_newline()
    {
        var lines = new LineSplitter(64);

        var first = lines.Take("par"u8);
        var second = lines.Take("tial\r\nnext"u8);

        Assert.Equal((false, null, 3), first);
        Assert.Equal((true, "partial", 6), second);
        Assert.Equal(0, lines.PendingBytes);
    }

    [Fact]
    public void Line_over_the_limit_is_dropped_and_counted_without_being_buffered()
    {
        var lines = new LineSplitter(8);

        lines.Take("0123456"u8);
        lines.Take("789"u8);
        var end = lines.Take("abc\n"u8);

        Assert.Equal((true, null, 4), end);
        Assert.Equal(1, lines.TakeDropped());
        Assert.Equal((true, "ok", 3), lines.Take("ok\n"u8));
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters()
    {
        var lines = new LineSplitter(64);

        var (_, line, _) = lines.Take([.. "bad "u8, 0xC3, 0x28, 0xFF, .. "\n"u8]);

        Assert.Equal("bad \uFFFD(\uFFFD", line);
    }
}
