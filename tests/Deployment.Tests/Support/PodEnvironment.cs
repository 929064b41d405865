using System.Reflection;
using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace NodeHealth.Deployment.Tests.Support;

/// <summary>
/// A container's environment as the program sees it: downward API fields filled with sample values, secrets with
/// a placeholder, $(VAR) references expanded the way the kubelet does (only variables defined earlier).
/// </summary>
public sealed partial class PodEnvironment
{
    public const string SamplePod = "node-health-coordinator-0";
    public const string SampleNode = "ip-10-0-12-34.ec2.internal";

    private PodEnvironment(IReadOnlyDictionary<string, string> variables) => Variables = variables;

    public IReadOnlyDictionary<string, string> Variables { get; }

    public static PodEnvironment Of(V1Container container)
    {
        var variables = new Dictionary<string, string>();
        foreach (var env in container.Env ?? [])
        {
            variables[env.Name] = env.ValueFrom switch
            {
                null => Expand(env.Value ?? "", variables),
                { FieldRef.FieldPath: "metadata.name" } => SamplePod,
                { FieldRef.FieldPath: "spec.nodeName" } => SampleNode,
                { FieldRef: { } field } => $"field:{field.FieldPath}",
                { SecretKeyRef: { } secret } => $"secret:{secret.Name}/{secret.Key}",
                { ConfigMapKeyRef: { } map } => $"configmap:{map.Name}/{map.Key}",
                _ => throw new InvalidOperationException($"env {env.Name} has a source the tests do not model"),
            };
        }

        return new PodEnvironment(variables);
    }

    public string? this[string name] => Variables.GetValueOrDefault(name);

    /// <summary>The configuration the program builds from these variables (Section__Key is Section:Key).</summary>
    public IConfiguration Configuration() =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(Variables.Where(v => v.Key.Contains("__")).Select(v => KeyValuePair.Create(v.Key.Replace("__", ":"), (string?)v.Value)))
            .Build();

    /// <summary>Null when <paramref name="key"/> (e.g. "IngestTls:CertificateFile") names a setting of <paramref name="options"/>; else why not.</summary>
    public static string? Unbound(Type options, string key)
    {
        var type = options;
        foreach (var segment in key.Split(':'))
        {
            if (ElementType(type) is { } element)
            {
                if (!int.TryParse(segment, out _))
                    return $"'{segment}' is not an index into the list {type.Name}";
                type = element;
                continue;
            }

            if (DictionaryValueType(type) is { } value)
            {
                type = value;
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
                return $"{type.Name} has no settable property '{segment}'";
            type = property.PropertyType;
        }

        return null;
    }

    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    private static string Expand(string value, Dictionary<string, string> defined) =>
        Reference().Replace(value, m => defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
