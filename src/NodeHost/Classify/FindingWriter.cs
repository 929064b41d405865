using System.Text.Encodings.Web;
using System.Text.Json;
using NodeHealth.Actors.Detection;

namespace NodeHealth.NodeHost.Classify;

/// <summary>Writes each detection as one compact JSON object per line: condition, reason, severity, line, message, entity, count.</summary>
internal sealed class FindingWriter(Stream output) : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private readonly BufferedStream _output = new(output, 64 * 1024);
    private readonly Utf8JsonWriter _json = new(Stream.Null, Options);

    public long Written { get; private set; }

    public void Write(Detection detection)
    {
        _json.Reset(_output);
        _json.WriteStartObject();
        _json.WriteString("condition", detection.Rule.Condition.ToString());
        _json.WriteString("reason", detection.Rule.Reason);
        _json.WriteString("severity", detection.Rule.Severity.ToString());
        _json.WriteNumber("line", detection.Line);
        _json.WriteString("message", detection.Message);
        if (string.IsNullOrEmpty(detection.Entity))
            _json.WriteNull("entity");
        else
            _json.WriteString("entity", detection.Entity);
        _json.WriteNumber("count", detection.Count);
        _json.WriteEndObject();
        _json.Flush();
        _output.WriteByte((byte)'\n');
        Written++;
    }

    public void Dispose()
    {
        _json.Dispose();
        _output.Flush();
    }
}
