using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeHealth.Contracts.Catalog;
using NodeHealth.NodeHost;
using NodeHealth.NodeHost.Classify;
using NodeHealth.NodeHost.Metrics;

if (ClassifyCommand.Handles(args))
    return ClassifyCommand.Run(args);

// Not the host's defaults: they watch appsettings.json and the working directory for changes (a thread and inotify
// watches) and add Debug, EventSource and EventLog loggers, none of which an agent uses (docs/benchmarks.md, footprint).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
builder.Configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false).AddEnvironmentVariables().AddCommandLine(args);
builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss ";
});
var options = AgentOptions.Bind(builder.Configuration);
var errors = options.Validate();
if (errors.Count > 0)
{
    foreach (var error in errors)
        Console.Error.WriteLine($"node-health agent: {error}");
    return 2;
}

try
{
    builder.Services.AddNodeHealthAgent(options);
    builder.Services.AddAgentMetrics(options.Metrics);
}
catch (CatalogException e)
{
    Console.Error.WriteLine($"node-health agent: catalog error: {e.Message}");
    return 2;
}

await builder.Build().RunAsync();
return 0;
