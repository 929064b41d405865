using System.Globalization;
using System.Text.RegularExpressions;
using NodeHealth.Actors.Agent.Probes;
using NodeHealth.Contracts;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>One system's incidents on one entity in a `dcgmi health -c` report: "GPU 0", "Memory system", Failure, the text.</summary>
public sealed record DcgmIncident(string Entity, string System, bool Failure, string Text);

/// <summary>
/// `dcgmi health -c` read, pure. dcgmi prints a box of rows "| key | value |" (dcgmi/Health.cpp): the overall health,
/// then per entity group ("GPU", "Switch") each entity ("-> 0") with its systems ("-> Memory system") and their
/// health, the incidents' messages wrapped over the following rows. It prints no error codes, so each message is
/// matched to its DCGM_FR code by the message formats of dcgm_errors.h; a message we do not know is code 1
/// (DCGM_FR_UNKNOWN) and keeps its text. Code 122 (IMEX) is ignored, as EKS does.
/// </summary>
public static partial class DcgmHealthCheck
{
    public const string FamilyPrefix = "DCGMHealthCode";
    public const string Error = "DCGMError";
    public const int UnknownCode = 1;
    public const int ImexCode = 122;

    public static readonly string[] Command = ["health", "-c"];
    public static readonly string[] EnableWatches = ["health", "-s", "a"];

    /// <summary>The DCGM_FR codes a passive health check reports, by the fixed words of their message formats.</summary>
    private static readonly (int Code, Regex Message)[] Codes =
    [
        (100, Re(@"NvSwitch \d+ - Only \d+ NvLinks are up out of the expected \d+")),
        (99, Re(@"(?<!- )Only \d+ NvLinks are up out of the expected \d+")),
        (3, Re(@"Detected more than \d+ PCIe replays per minute for GPU \d+")),
        (4, Re(@"Detected -?\d+ volatile double-bit ECC error\(s\) in GPU \d+")),
        (5, Re(@"More than \d+ single-bit ECC error\(s\) detected in GPU \d+")),
        (6, Re(@"A pending retired page has been detected in GPU \d+")),
        (7, Re(@"\d+ or more retired pages have been detected in GPU \d+")),
        (8, Re(@"An excess of \d+ retired pages due to DBEs have been detected")),
        (9, Re(@"A corrupt InfoROM has been detected in GPU \d+")),
        (10, Re(@"Detected clock throttling due to thermal violation in GPU \d+")),
        (11, Re(@"Cannot reliably read the power usage for GPU \d+")),
        (12, Re(@"Detected clock throttling due to power violation in GPU \d+")),
        (13, Re(@"NvLink errors on GPU \d+'s NVLink which exceeds threshold")),
        (14, Re(@"GPU \d+'s NvLink link \d+ is currently down")),
        (15, Re(@"Detected fatal errors on NvSwitch \d+ link \d+")),
        (16, Re(@"Detected nonfatal errors on NvSwitch \d+ link \d+")),
        (20, Re(@"The number of devices NVML returns is different than the number of devices in /dev")),
        (70, Re(@"NvLink errors found occuring per second on GPU \d+")),
        (71, Re(@"NvLink errors on GPU \d+'s NVLink \(should be 0\)")),
        (80, Re(@"GPU \d+ had uncorrectable memory errors and row remapping failed")),
        (81, Re(@"GPU had an uncontained error \(XID 95\)")),
        (83, Re(@"Pending page retirements together with a DBE were detected on GPU \d+")),
        (84, Re(@"GPU \d+ had uncorrectable memory errors and \d+ rows were remapped")),
        (85, Re(@"GPU \d+ had memory errors and row remappings are pending")),
        (101, Re(@"Detected XID \d+ for GPU \d+")),
        (109, Re(@"Detected fatal NvSwitch SXID \d+")),
    ];

    /// <summary>The incidents of a report; empty for "Overall Health | Healthy". Null when the text is not a health report.</summary>
    public static IReadOnlyList<DcgmIncident>? Parse(string output)
    {
        var incidents = new List<DcgmIncident>();
        string? group = null, entity = null;
        (string Entity, string System, bool Failure, List<string> Text)? open = null;
        var isReport = false;
        foreach (var raw in output.Split('\n').Take(4096))
        {
            if (Row().Match(raw.TrimEnd()) is not { Success: true } row)
                continue;
            var key = row.Groups["key"].Value.Trim();
            var value = row.Groups["value"].Value.Trim();
            if (key == "Overall Health")
            {
                isReport = true;
                continue;
            }
            if (key.Length == 0 && value.Length > 0 && open is { } continued)
            {
                continued.Text.Add(value);
                continue;
            }
            if (!key.StartsWith("->", StringComparison.Ordinal))
            {
                if (key.Length > 0 && value.Length == 0)
                    (group, entity) = (key, null);
                continue;
            }

            var name = key[2..].Trim();
            if (name == "Errors" || name == "Warnings")
                continue;
            if (Health(value) is not { } failure)
                continue;
            if (entity is null || int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                entity = $"{group ?? "GPU"} {name}";
                Close(incidents, ref open);
                continue;
            }
            Close(incidents, ref open);
            open = (entity, name, failure, []);
        }

        Close(incidents, ref open);
        return isReport ? incidents : null;
    }

    /// <summary>
    /// One failure per (code, entity): Fatal on Failure, Warning (milder than the family's Fatal) on Warning. The entity
    /// is named through <paramref name="entities"/> (`dcgmi discovery -l`): the GPU's bus id and UUID where DCGM listed
    /// them, else DCGM's own name ("GPU 0"); the message keeps DCGM's id, which its text refers to.
    /// </summary>
    public static IReadOnlyList<ProbeFailure> Failures(IReadOnlyList<DcgmIncident> incidents, DcgmEntities? entities = null)
    {
        entities ??= DcgmEntities.None;
        var failures = new Dictionary<(int Code, string Entity), ProbeFailure>();
        foreach (var incident in incidents)
        {
            var entity = entities.Name(incident.Entity);
            var named = entities.BusIdOf(incident.Entity) is { } busId ? $"{incident.Entity} ({busId})" : incident.Entity;
            foreach (var code in CodesOf(incident.Text).Where(c => c != ImexCode))
            {
                var failure = new ProbeFailure($"{FamilyPrefix}{code}", entity, $"{named} {incident.System}: {incident.Text}")
                {
                    Severity = incident.Failure ? Severity.Fatal : Severity.Warning,
                };
                if (!failures.TryGetValue((code, entity), out var earlier) || earlier.Severity < failure.Severity)
                    failures[(code, entity)] = failure;
            }
        }

        return [.. failures.OrderBy(f => f.Key.Entity, StringComparer.Ordinal).ThenBy(f => f.Key.Code).Select(f => f.Value)];
    }

    /// <summary>The codes whose messages appear in an incident's text (dcgmi joins one system's messages with ", ").</summary>
    public static IReadOnlyList<int> CodesOf(string text)
    {
        var found = Codes.SelectMany(c => c.Message.Matches(text).Select(m => (m.Index, c.Code))).OrderBy(f => f.Index).Select(f => f.Code).Distinct().ToList();
        return found.Count > 0 ? found : [UnknownCode];
    }

    private static void Close(List<DcgmIncident> incidents, ref (string Entity, string System, bool Failure, List<string> Text)? open)
    {
        if (open is { } done)
            incidents.Add(new DcgmIncident(done.Entity, done.System, done.Failure, Spaces().Replace(string.Join(' ', done.Text), " ").Trim()));
        open = null;
    }

    /// <summary>true: Failure; false: Warning; null: Healthy or not a health word.</summary>
    private static bool? Health(string value) => value switch
    {
        "Failure" => true,
        "Warning" => false,
        _ => null,
    };

    private static Regex Re(string pattern) => new(pattern.Replace(" ", @"\s+"), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    [GeneratedRegex(@"^\|(?<key>[^|]*)\|(?<value>[^|]*)\|$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
