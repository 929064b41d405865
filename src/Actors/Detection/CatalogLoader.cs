using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Catalog;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace NodeHealth.Actors.Detection;

/// <summary>
/// Reads catalog YAML (the embedded built-in file, then operator files in order) into one validated
/// <see cref="ReasonCatalog"/>. Every error names the file and the entry.
/// </summary>
public static partial class CatalogLoader
{
    public const string BuiltInName = "builtin.yaml";
    private const int MaxFileBytes = 1024 * 1024;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static ReasonCatalog LoadBuiltIn() => Load([]);

    /// <summary>The built-in catalog merged with <paramref name="extraFiles"/>; throws <see cref="CatalogException"/>.</summary>
    public static ReasonCatalog Load(IEnumerable<string> extraFiles) =>
        Merge(extraFiles.Select(path => (path, ReadFile(path))));

    /// <summary>The built-in catalog merged with one catalog text (<paramref name="origin"/> names it in errors).</summary>
    public static ReasonCatalog Parse(string origin, string yaml) => Merge([(origin, yaml)]);

    private static ReasonCatalog Merge(IEnumerable<(string Origin, string Yaml)> extra)
    {
        var builder = new CatalogBuilder();
        builder.Add(BuiltInName, ReadBuiltIn());
        foreach (var (origin, yaml) in extra)
            builder.Add(origin, yaml);
        return builder.Build();
    }

    private static string ReadBuiltIn()
    {
        using var stream = typeof(CatalogLoader).Assembly.GetManifestResourceStream("NodeHealth.Catalog." + BuiltInName)
            ?? throw new InvalidOperationException("The built-in catalog is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string ReadFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new CatalogException($"Catalog file {path} does not exist");
            if (info.Length > MaxFileBytes)
                throw new CatalogException($"Catalog file {path} is {info.Length} bytes; the limit is {MaxFileBytes}");
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CatalogException($"Catalog file {path} cannot be read: {e.Message}");
        }
    }

    private sealed partial class CatalogBuilder
    {
        private readonly Dictionary<ConditionType, ConditionDefinition> _conditions = [];
        private readonly List<ReasonRule> _rules = [];

        public void Add(string origin, string yaml)
        {
            CatalogFile file;
            try
            {
                file = Yaml.Deserialize<CatalogFile?>(yaml) ?? new CatalogFile();
            }
            catch (YamlException e)
            {
                throw new CatalogException($"{origin} (line {e.Start.Line}, column {e.Start.Column}): {Innermost(e).Message}");
            }

            foreach (var condition in file.Conditions ?? [])
                AddCondition(origin, condition);
        }

        public ReasonCatalog Build() =>
            new([.. _conditions.Values.OrderBy(c => c.Type)], [.. _rules]);

        private void AddCondition(string origin, ConditionEntry entry)
        {
            if (!Enum.TryParse<ConditionType>(entry.Type, ignoreCase: false, out var type) || !ConditionTypes.IsDefined(type))
                throw new CatalogException($"{origin}: condition '{entry.Type}' is not one of {string.Join(", ", ConditionTypes.All)}");

            if (entry.ReadyReason is { } ready)
                _conditions[type] = new ConditionDefinition(type, RequireReasonName(origin, ready), entry.ReadyMessage ?? "");
            else if (!_conditions.ContainsKey(type))
                throw new CatalogException($"{origin}: condition {type} needs readyReason");

            foreach (var reason in entry.Reasons ?? [])
            {
                var rule = ToRule(origin, type, reason);
                var existing = _rules.FindIndex(r => r.Condition == type && r.Reason == rule.Reason);
                if (existing >= 0)
                    _rules[existing] = rule;
                else
                    _rules.Add(rule);
            }
        }

        private static ReasonRule ToRule(string origin, ConditionType type, ReasonEntry e)
        {
            var reason = RequireReasonName(origin, e.Reason);
            var where = $"{origin}: {type}/{reason}";

            if (!Enum.TryParse<Severity>(e.Severity, ignoreCase: false, out var severity) || severity == Severity.Unknown)
                throw new CatalogException($"{where}: severity '{e.Severity}' must be Info, Warning or Fatal");
            if (e.Source is null || !SourceName().IsMatch(e.Source))
                throw new CatalogException($"{where}: source '{e.Source}' must be a lowercase name such as kmsg, journal-kubelet or dcgm (the monitor that reads it)");

            // Without match the reason is raised by its monitor's own check (a probe), never by a log line.
            Regex? regex = null;
            if (!string.IsNullOrEmpty(e.Match))
            {
                try
                {
                    regex = new Regex(e.Match, RegexOptions.CultureInvariant, MatchTimeout);
                }
                catch (ArgumentException ex)
                {
                    throw new CatalogException($"{where}: match is not a valid regular expression: {ex.Message}");
                }
            }

            foreach (Match placeholder in Regex.Matches(e.Message ?? "", @"\{(\w+)\}"))
            {
                var group = placeholder.Groups[1].Value;
                if (regex is null || regex.GroupNumberFromName(group) < 0)
                    throw new CatalogException($"{where}: message uses {{{group}}} but match has no group named '{group}'");
            }

            var recovery = ParseEnum(where, "recovery", e.Recovery, RecoveryMode.None);
            if (severity == Severity.Fatal && recovery == RecoveryMode.None)
                throw new CatalogException($"{where}: a Fatal reason needs recovery: reboot, probe, quiet or manual (a condition that never clears is a bug)");
            if (severity != Severity.Fatal && recovery != RecoveryMode.None)
                throw new CatalogException($"{where}: recovery applies only to Fatal reasons");

            var quietFor = e.QuietFor is null ? TimeSpan.Zero : ParseDuration(where, "quietFor", e.QuietFor);
            if (recovery == RecoveryMode.Quiet && quietFor <= TimeSpan.Zero)
                throw new CatalogException($"{where}: recovery quiet needs quietFor, how long without a recurrence clears the fault, e.g. quietFor: 30m");
            if (recovery != RecoveryMode.Quiet && e.QuietFor is not null)
                throw new CatalogException($"{where}: quietFor applies only to recovery quiet");

            var occurrences = e.Occurrences ?? 1;
            if (occurrences < 1)
                throw new CatalogException($"{where}: occurrences must be at least 1");
            var window = e.Window is null ? TimeSpan.Zero : ParseDuration(where, "window", e.Window);
            if (occurrences > 1 && window <= TimeSpan.Zero)
                throw new CatalogException($"{where}: occurrences > 1 needs a window, e.g. window: 10m");

            return new ReasonRule(
                type, reason, severity, e.Source, e.Match ?? "", e.Message,
                new OccurrenceThreshold(occurrences, window),
                recovery,
                quietFor,
                ParseEnum(where, "repair", e.Repair, RepairAction.None),
                e.Description ?? "",
                origin);
        }

        private static string RequireReasonName(string origin, string? reason)
        {
            if (string.IsNullOrEmpty(reason) || reason.Length > 128 || !reason.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetterUpper(reason[0]))
                throw new CatalogException($"{origin}: reason '{reason}' must be CamelCase ASCII letters and digits, at most 128");
            return reason;
        }

        private static T ParseEnum<T>(string where, string key, string? value, T fallback) where T : struct, Enum
        {
            if (value is null)
                return fallback;
            if (Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
                return parsed;
            throw new CatalogException($"{where}: {key} '{value}' must be one of {string.Join(", ", Enum.GetNames<T>())}");
        }

        private static TimeSpan ParseDuration(string where, string key, string text)
        {
            var match = Regex.Match(text, @"^(\d+)(s|m|h)$");
            if (!match.Success)
                throw new CatalogException($"{where}: {key} '{text}' must look like 30s, 10m or 1h");
            var amount = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
        private static partial Regex SourceName();

        private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
    }

    private sealed class CatalogFile
    {
        public List<ConditionEntry>? Conditions { get; set; }
    }

    private sealed class ConditionEntry
    {
        public string? Type { get; set; }
        public string? ReadyReason { get; set; }
        public string? ReadyMessage { get; set; }
        public List<ReasonEntry>? Reasons { get; set; }
    }

    private sealed class ReasonEntry
    {
        public string? Reason { get; set; }
        public string? Severity { get; set; }
        public string? Source { get; set; }
        public string? Match { get; set; }
        public string? Message { get; set; }
        public int? Occurrences { get; set; }
        public string? Window { get; set; }
        public string? Recovery { get; set; }
        public string? QuietFor { get; set; }
        public string? Repair { get; set; }
        public string? Description { get; set; }
    }
}
