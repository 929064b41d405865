using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeHealth.Contracts.Catalog;
using NodeHealth.NodeHost;
using NodeHealth.NodeHost.Classify;

if (ClassifyCommand.Handles(args))
    return ClassifyCommand.Run(args);

var builder = Host.CreateApplicationBuilder(args);
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
}
catch (CatalogException e)
{
    Console.Error.WriteLine($"node-health agent: catalog error: {e.Message}");
    return 2;
}

await builder.Build().RunAsync();
return 0;
