using System.Diagnostics;
using k8s;
using k8s.Models;

namespace NodeHealth.Deployment.Tests.Support;

/// <summary>
/// A kustomization under k8s/ rendered by `kubectl kustomize` (as `kubectl apply -k` would) and parsed strictly into
/// KubernetesClient's typed models: an unknown field or kind is an error, not a silently dropped setting.
/// </summary>
public sealed class Overlay
{
    public const string Base = "k8s/base";
    public const string Production = "k8s/overlays/production";

    /// <summary>Every kustomization the tests render: each must pass every invariant.</summary>
    public static readonly TheoryData<string> Paths = new() { Base, Production };

    private static readonly Dictionary<string, Lazy<Overlay>> Rendered = new()
    {
        [Base] = new(() => Render(Base)),
        [Production] = new(() => Render(Production)),
    };

    private Overlay(string path, string yaml, IReadOnlyList<object> objects)
    {
        Path = path;
        Yaml = yaml;
        Objects = objects;
    }

    public string Path { get; }

    public string Yaml { get; }

    public IReadOnlyList<object> Objects { get; }

    public static Overlay Of(string path) => Rendered[path].Value;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Objects.OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new InvalidOperationException($"{Path} renders no {typeof(T).Name} named {name}");

    public V1StatefulSet Coordinators => Single<V1StatefulSet>("node-health-coordinator");

    public V1DaemonSet Agents => Single<V1DaemonSet>("node-health-agent");

    public V1Container Coordinator => Coordinators.Spec.Template.Spec.Containers.Single();

    public V1Container Agent => Agents.Spec.Template.Spec.Containers.Single();

    /// <summary>Every pod template the overlay deploys.</summary>
    public IEnumerable<(string Workload, V1PodSpec Pod)> PodSpecs() =>
        All<V1StatefulSet>().Select(s => ($"StatefulSet {s.Metadata.Name}", s.Spec.Template.Spec))
            .Concat(All<V1DaemonSet>().Select(d => ($"DaemonSet {d.Metadata.Name}", d.Spec.Template.Spec)))
            .Concat(All<V1Deployment>().Select(d => ($"Deployment {d.Metadata.Name}", d.Spec.Template.Spec)));

    /// <summary>Parses manifests the way the overlays are checked (exposed so a test can prove strictness).</summary>
    public static List<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);

    private static Overlay Render(string path)
    {
        var yaml = Kustomize(Repository.PathOf(path));
        try
        {
            return new Overlay(path, yaml, Parse(yaml));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{path}: `kubectl kustomize` output does not parse strictly into KubernetesClient's models: {e.Message}", e);
        }
    }

    internal static string Kustomize(string directory)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"kubectl is not installed ({e.Message}): the manifests are rendered with `kubectl kustomize`; install kubectl (v1.27 or later)", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl kustomize {directory} did not finish within 60 s");
            }

            if (process.ExitCode != 0)
                throw new InvalidOperationException($"kubectl kustomize {directory} exited with {process.ExitCode}: {error.Result}");
            return output.Result;
        }
    }
}
