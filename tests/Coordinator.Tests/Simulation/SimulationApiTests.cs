using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodeHealth.Actors.Detection;
using NodeHealth.Actors.Repair.Governor;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Coordinator.Simulation;

namespace NodeHealth.Coordinator.Tests.Simulation;

/// <summary>POST /api/simulations on a real Kestrel with just this endpoint (the coordinator maps it beside the others).</summary>
public sealed class SimulationApiTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var catalog = CatalogLoader.LoadBuiltIn();
        builder.Services.AddSingleton(new RepairGovernorSettings(new RepairPolicyHolder(RepairPolicy.Default), () => catalog, TimeProvider.System));
        _app = builder.Build();
        _app.MapSimulations();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    [Fact]
    public async Task A_scenario_with_inline_policies_answers_the_report_as_json()
    {
        using var answer = await _client.PostAsync("/api/simulations?seed=3", new StringContent(SimulateCommandTests.Small, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/json", answer.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(3UL, json.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal(["no-repair", "eks-defaults", "nights"], json.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("policy").GetString()));
    }

    [Fact]
    public async Task A_browser_gets_the_html_report()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/simulations") { Content = new StringContent(SimulateCommandTests.Small) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var answer = await _client.SendAsync(request);

        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-chart=\"capacity\"", await answer.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", 400, "The body is empty")]
    [InlineData("fleet: [", 400, "request line")]
    [InlineData("fleet:\n  pools:\n    - name: p\n      nodes: 10\npolicies:\n  - name: eks\n    file: /etc/passwd\n", 400, "file is not allowed here")]
    [InlineData("days: 3650\nfleet:\n  pools:\n    - name: p\n      nodes: 10000\npolicies:\n  - name: off\n    mode: Off\n", 400, "more than this simulation allows")]
    public async Task Bad_scenarios_are_problem_json(string body, int status, string detail)
    {
        using var answer = await _client.PostAsync("/api/simulations", new StringContent(body));

        Assert.Equal(status, (int)answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invalid_utf8_and_oversized_bodies_are_refused()
    {
        using var garbage = await _client.PostAsync("/api/simulations", new ByteArrayContent([0x66, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
        using var huge = await _client.PostAsync("/api/simulations", new StringContent(new string('#', 600 * 1024)));

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Contains("not valid UTF-8", await garbage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>The real coordinator binary: Program.cs hands simulate to SimulationCommands before anything else starts.</summary>
public sealed class SimulateProcessTests
{
    [Fact]
    public async Task The_coordinator_binary_runs_simulate_without_a_cluster_and_exits_2_on_bad_arguments()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NodeHealth.Coordinator.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "simulate", "--format", "pdf"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--format 'pdf' must be table, json or html", stderr);
    }
}
