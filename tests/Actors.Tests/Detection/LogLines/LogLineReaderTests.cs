using System.Text;
using NodeHealth.Actors.Detection.LogLines;

namespace NodeHealth.Actors.Tests.Detection.LogLines;

public sealed class LogLineReaderTests
{
    [Fact]
    public void Lines_end_at_newlines_and_a_last_line_without_one_is_read()
    {
        var lines = ReadAll("one\r\ntwo\n\nthree"u8.ToArray());

        Assert.Equal(["one", "two", "", "three"], lines);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_cut_and_the_next_line_is_whole()
    {
        using var reader = new LogLineReader(new MemoryStream(Encoding.UTF8.GetBytes(new string('a', 10_000) + "\nnext\n")), maxLineBytes: 1000);

        Assert.Equal(new string('a', 1000), Next(reader));
        Assert.Equal("next", Next(reader));
        Assert.Null(Next(reader));
        Assert.Equal(1, reader.Truncated);
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters()
    {
        Assert.Equal(["a\uFFFDb"], ReadAll([(byte)'a', 0xff, (byte)'b', (byte)'\n']));
    }

    [Fact]
    public void Lines_spanning_many_reads_are_joined()
    {
        var text = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"line {i} " + new string('x', i % 300)));

        var lines = ReadAll(Encoding.UTF8.GetBytes(text));

        Assert.Equal(50_000, lines.Count);
        Assert.Equal("line 49999 " + new string('x', 49_999 % 300), lines[^1]);
    }

    private static List<string> ReadAll(byte[] bytes)
    {
        using var reader = new LogLineReader(new MemoryStream(bytes));
        var lines = new List<string>();
        while (Next(reader) is { } line)
            lines.Add(line);
        return lines;
    }

    private static string? Next(LogLineReader reader) => reader.TryReadLine(out var line) ? line.ToString() : null;
}
