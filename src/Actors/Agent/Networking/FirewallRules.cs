using System.Text;

namespace NodeHealth.Actors.Agent.Networking;

/// <summary>One `-A` rule of `iptables-save` output, its arguments split as the shell would (quoted comments kept whole).</summary>
public sealed record FirewallRule(string Family, string Table, string Chain, string Text, IReadOnlyList<string> Arguments)
{
    /// <summary>The value after <paramref name="option"/> (e.g. "-j", "--comment"), or null.</summary>
    public string? Value(string option)
    {
        for (var i = 0; i < Arguments.Count - 1; i++)
            if (Arguments[i] == option)
                return Arguments[i + 1];
        return null;
    }

    public bool Has(string option) => Arguments.Contains(option);
}

/// <summary>
/// UnexpectedRejectRule and PortConflict from `iptables-save`/`ip6tables-save` output, pure, with EKS's allow-list:
/// kube-proxy's own rejects (KUBE-FORWARD invalid conntrack state, KUBE-FIREWALL's localnet and marked-packet
/// drops, KUBE-SERVICES/KUBE-EXTERNAL-SERVICES "has no (local) endpoints" and icmp-port-unreachable, the
/// KUBE-IPVS-FILTER, KUBE-IPVS-OUT-FILTER and KUBE-SOURCE-RANGES-FIREWALL chains), Calico's cali-* chains,
/// the VPC CNI's "Block Node Local Pod access", and the operator's allowed table/chain pairs.
/// </summary>
public static class FirewallCheck
{
    public const int KubeletPort = 10250;

    private static readonly HashSet<string> KubeProxyChains = ["KUBE-IPVS-FILTER", "KUBE-IPVS-OUT-FILTER", "KUBE-SOURCE-RANGES-FIREWALL"];

    /// <summary>The rules of one `iptables-save` output; lines that are not rules (tables, chains, COMMIT, comments) only set the table.</summary>
    public static IReadOnlyList<FirewallRule> Parse(string family, string output)
    {
        var rules = new List<FirewallRule>();
        var table = "";
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
                table = line[1..].Trim();
            else if (line.StartsWith("-A ", StringComparison.Ordinal) && Split(line) is [_, var chain, ..] arguments)
                rules.Add(new FirewallRule(family, table, chain, line, arguments));
        }

        return rules;
    }

    public static IReadOnlyList<Probes.ProbeFailure> Failures(IReadOnlyList<FirewallRule> rules, IReadOnlySet<string> allowedChains)
    {
        var failures = new List<Probes.ProbeFailure>();
        foreach (var rule in rules)
        {
            var entity = Entity(rule);
            if (Rejects(rule) && !Allowed(rule, allowedChains))
                failures.Add(new Probes.ProbeFailure("UnexpectedRejectRule", entity,
                    $"{rule.Family} {rule.Table} table, chain {rule.Chain}: {Clip(rule.Text, 1024)}"));
            if (rule.Value("--dport") == KubeletPort.ToString(System.Globalization.CultureInfo.InvariantCulture) && rule.Value("-j") == "DNAT")
                failures.Add(new Probes.ProbeFailure("PortConflict", entity,
                    $"{rule.Family} {rule.Table} table, chain {rule.Chain} redirects the kubelet's port {KubeletPort}: {Clip(rule.Text, 1024)}"));
        }

        return failures;
    }

    private static bool Rejects(FirewallRule rule) =>
        rule.Value("-j") is "REJECT" or "DROP" || rule.Value("-g") is "REJECT" or "DROP" || rule.Has("--reject-with");

    private static bool Allowed(FirewallRule rule, IReadOnlySet<string> allowedChains)
    {
        var comment = rule.Value("--comment") ?? "";
        return allowedChains.Contains($"{rule.Table}/{rule.Chain}")
            || KubeProxyChains.Contains(rule.Chain)
            || rule.Chain.StartsWith("cali-", StringComparison.Ordinal)
            || rule.Chain == "KUBE-FORWARD" && rule.Value("--ctstate") == "INVALID"
            || rule.Chain == "KUBE-FIREWALL" && comment is "block incoming localnet connections" or "kubernetes firewall for dropping marked packets"
            || rule.Chain is "KUBE-SERVICES" or "KUBE-EXTERNAL-SERVICES"
                && (comment.Contains("has no endpoints", StringComparison.Ordinal) || comment.Contains("has no local endpoints", StringComparison.Ordinal)
                    || rule.Value("--reject-with") == "icmp-port-unreachable")
            || rule.Chain == "FORWARD" && comment == "Block Node Local Pod access";
    }

    /// <summary>Stable across polls (the rule's own text), within the coordinator's entity limit.</summary>
    private static string Entity(FirewallRule rule) => Clip($"{rule.Family} {rule.Table} {rule.Text}", 200);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>Splits on spaces outside double quotes; a backslash escapes the next character inside quotes.</summary>
    private static List<string> Split(string line)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '\\' && i + 1 < line.Length)
                current.Append(line[++i]);
            else if (c == '"')
                (quoted, any) = (!quoted, true);
            else if (c == ' ' && !quoted)
            {
                if (any || current.Length > 0)
                    arguments.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else
                current.Append(c);
        }

        if (any || current.Length > 0)
            arguments.Add(current.ToString());
        return arguments;
    }
}
