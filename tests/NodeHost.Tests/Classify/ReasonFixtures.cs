using System.Globalization;
using System.Text;

namespace NodeHealth.NodeHost.Tests.Classify;

/// <summary>A finding a fixture case expects: the reason, and which of the case's lines the event starts on (1-based).</summary>
public sealed record ExpectedFinding(string Reason, int CaseLine);

/// <summary>One case of Fixtures/reasons.txt: its lines, the findings it expects, or the reason it is a near miss of.</summary>
public sealed record FixtureCase(int FileLine, string Source, IReadOnlyList<ExpectedFinding> Expected, string? NearMissOf, IReadOnlyList<string> Lines)
{
    public override string ToString() =>
        $"reasons.txt line {FileLine} ({(NearMissOf is null ? string.Join(",", Expected.Select(e => e.Reason)) : "!" + NearMissOf)} {Source})";
}

/// <summary>A case written into an input file: where its lines landed (1-based input lines).</summary>
public sealed record RenderedCase(FixtureCase Case, string Form, long FirstLine, long LastLine, IReadOnlyList<long> LineOf);

/// <summary>Reads the reason fixtures and writes them in every input form their source has.</summary>
public static class ReasonFixtures
{
    // Far enough apart that no occurrence window (the longest is 1 h) spans two cases.
    private static readonly TimeSpan CaseSpacing = TimeSpan.FromHours(2);
    private static readonly TimeSpan LineSpacing = TimeSpan.FromMilliseconds(10);
    private static readonly DateTime SyslogStart = new(DateTime.UtcNow.Year, 1, 2, 0, 0, 0, DateTimeKind.Utc);

    public static IReadOnlyList<string> KernelForms { get; } = ["kmsg", "dmesg", "dmesg-caller", "syslog", "syslog-dmesg", "syslog-rfc3339"];
    public static IReadOnlyList<string> JournalForms { get; } = ["bare", "journalctl-short", "journalctl-short-iso"];

    public static IReadOnlyList<FixtureCase> Load()
    {
        var cases = new List<FixtureCase>();
        var lines = File.ReadAllLines(ClassifyProcess.Fixture("reasons.txt"));
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("== ", StringComparison.Ordinal))
                continue;
            var header = lines[i][3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (header.Length != 2)
                throw new InvalidDataException($"reasons.txt line {i + 1}: a case header is '== <expectations> <source>'");
            var body = new List<string>();
            for (var j = i + 1; j < lines.Length && !lines[j].StartsWith("== ", StringComparison.Ordinal); j++)
                if (lines[j].Length > 0 && !lines[j].StartsWith('#'))
                    body.Add(lines[j]);
            var nearMiss = header[0].StartsWith('!') ? header[0][1..] : null;
            var expected = nearMiss is not null ? [] : header[0].Split(',').Select(Expectation).ToList();
            cases.Add(new FixtureCase(i + 1, header[1], expected, nearMiss, body));
        }

        return cases;
    }

    public static bool IsKernel(string source) => source == "kernel";

    public static bool IsVerbatim(string source) => source.StartsWith("file-", StringComparison.Ordinal);

    public static IReadOnlyList<string> FormsOf(string source) =>
        IsKernel(source) ? KernelForms : IsVerbatim(source) ? ["verbatim"] : JournalForms;

    /// <summary>Writes <paramref name="cases"/> (all of one source) in each of its forms, one after another, into one input.</summary>
    public static (byte[] Input, IReadOnlyList<RenderedCase> Cases) Render(string source, IReadOnlyList<FixtureCase> cases)
    {
        var text = new StringBuilder();
        var rendered = new List<RenderedCase>();
        long line = 0, sequence = 1000;
        var clock = TimeSpan.FromSeconds(100);
        foreach (var form in FormsOf(source))
        {
            foreach (var fixture in cases)
            {
                clock += CaseSpacing;
                var first = line + 1;
                var lineOf = new List<long>();
                foreach (var raw in fixture.Lines)
                {
                    var (advance, content) = Advance(raw);
                    clock += LineSpacing + advance;
                    text.Append(Format(form, source, content, clock, sequence++)).Append('\n');
                    lineOf.Add(++line);
                    if (form == "kmsg" && lineOf.Count == 1)
                    {
                        text.Append(" SUBSYSTEM=pci\n DEVICE=+pci:0000:00:1f.2\n"); // A record's dictionary, which is not kernel text.
                        line += 2;
                    }
                }

                rendered.Add(new RenderedCase(fixture, form, first, line, lineOf));
            }
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), rendered);
    }

    private static ExpectedFinding Expectation(string token)
    {
        var at = token.IndexOf('@');
        return at < 0 ? new ExpectedFinding(token, 1) : new ExpectedFinding(token[..at], int.Parse(token[(at + 1)..], CultureInfo.InvariantCulture));
    }

    // "@+600 text": the line comes 600 s after the one before it.
    private static (TimeSpan Advance, string Text) Advance(string raw)
    {
        if (!raw.StartsWith("@+", StringComparison.Ordinal))
            return (TimeSpan.Zero, raw);
        var space = raw.IndexOf(' ');
        return (TimeSpan.FromSeconds(int.Parse(raw[2..space], CultureInfo.InvariantCulture)), raw[(space + 1)..]);
    }

    private static string Format(string form, string source, string text, TimeSpan sinceBoot, long sequence)
    {
        var stamp = $"[{sinceBoot.Ticks / TimeSpan.TicksPerSecond,5}.{sinceBoot.Ticks % TimeSpan.TicksPerSecond / 10:D6}]";
        var wall = SyslogStart + sinceBoot;
        var bsd = $"{wall.ToString("MMM", CultureInfo.InvariantCulture)} {wall.Day,2} {wall.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}";
        var journalctl = wall.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        var iso = wall.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
        return form switch
        {
            "kmsg" => $"6,{sequence},{sinceBoot.Ticks / 10},-,caller=T{sequence % 4000};{KmsgEscaped(text)}",
            "dmesg" => $"{stamp} {text}",
            "dmesg-caller" => $"{stamp}[{"T" + (sequence % 4000),6}] {text}",
            "syslog" => $"{bsd} ip-10-0-1-23 kernel: {text}",
            "syslog-dmesg" => $"{bsd} ip-10-0-1-23 kernel: {stamp} {text}",
            "syslog-rfc3339" => $"{iso} ip-10-0-1-23 kernel: {text}",
            "journalctl-short" => $"{journalctl} ip-10-0-1-23 {source}[2345]: {text}",
            "journalctl-short-iso" => $"{wall.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)}+0000 ip-10-0-1-23 {source}[2345]: {text}",
            _ => text,
        };
    }

    // /dev/kmsg escapes control bytes, bytes from 0x7f up and the backslash as \xNN.
    private static string KmsgEscaped(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
            escaped.Append(b < 0x20 || b >= 0x7f || b == '\\' ? $"\\x{b:x2}" : ((char)b).ToString());
        return escaped.ToString();
    }
}
