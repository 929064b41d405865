using NodeHealth.Actors.Agent.ContainerRuntime;

namespace NodeHealth.Actors.Tests.Agent.ContainerRuntime;

public sealed class ContainerdDeprecationsTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 6, 0, 0, DateTimeKind.Utc);

    // `ctr deprecations list --format json` of containerd 1.7.
    private const string Listed = """
        [
          {
            "id": "io.containerd.deprecation/pull-schema-1-image",
            "message": "Schema 1 images are deprecated since containerd v1.7 and removed in containerd v2.0. Since containerd v1.7.8, schema 1 images are identified by the \"io.containerd.image/converted-docker-schema1\" label.",
            "lastOccurrence": "2026-03-01T05:31:12.52412315Z"
          },
          {
            "id": "io.containerd.deprecation/cri-registry-mirrors",
            "message": "The `mirrors` property of `[plugins.\"io.containerd.grpc.v1.cri\".registry]` is deprecated since containerd v1.5 and will be removed in containerd v2.0. Use `config_path` instead.",
            "lastOccurrence": "2026-02-28T22:10:00Z"
          }
        ]
        """;

    [Fact]
    public void A_deprecation_seen_within_the_hour_is_reported_as_id_and_message()
    {
        var failure = Assert.Single(ContainerdDeprecations.Failures(ContainerdDeprecations.Parse(Listed), Now));

        Assert.Equal("DeprecatedContainerdConfiguration", failure.Reason);
        Assert.Equal("io.containerd.deprecation/pull-schema-1-image", failure.Entity);
        Assert.StartsWith("io.containerd.deprecation/pull-schema-1-image: Schema 1 images are deprecated", failure.Message);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("")]
    public void No_deprecation_is_nothing_wrong(string output)
    {
        Assert.Empty(ContainerdDeprecations.Failures(ContainerdDeprecations.Parse(output), Now));
    }

    [Theory]
    [InlineData("{\"id\": \"x\"}", "not an array")]
    [InlineData("[{\"id\": ", "no valid JSON")]
    [InlineData("[42]", "where a deprecation object belongs")]
    public void Output_that_is_not_the_list_is_an_error_saying_why(string output, string why)
    {
        Assert.Contains(why, Assert.Throws<FormatException>(() => ContainerdDeprecations.Parse(output)).Message);
    }
}
