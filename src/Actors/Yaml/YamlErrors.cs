using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace NodeHealth.Actors.Yaml;

/// <summary>What a person reads when YamlDotNet refuses one of our files: where, and the problem in our words.</summary>
public static partial class YamlErrors
{
    /// <summary>"<paramref name="origin"/> line L, column C: problem".</summary>
    public static string Describe(string origin, YamlException e) => $"{origin} line {e.Start.Line}, column {e.Start.Column}: {Plain(Innermost(e))}";

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    /// <summary>YamlDotNet names our internal types; say instead which key is unknown and which ones are known there.</summary>
    private static string Plain(Exception e)
    {
        var unknown = UnknownProperty().Match(e.Message);
        if (!unknown.Success)
            return e.Message;
        var type = typeof(YamlErrors).Assembly.GetType(unknown.Groups[2].Value);
        var known = type?.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<YamlIgnoreAttribute>() is null)
            .Select(p => CamelCaseNamingConvention.Instance.Apply(p.Name)).Order(StringComparer.Ordinal);
        return $"unknown key '{unknown.Groups[1].Value}'" + (known is null ? "" : $"; the keys here are {string.Join(", ", known)}");
    }

    [GeneratedRegex(@"^Property '([^']*)' not found on type '([^']*)'")]
    private static partial Regex UnknownProperty();
}
