using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>onnx.ModelProto: the file's top-level message.</summary>
internal sealed class OnnxModelProto : ProtoMessage
{
    public long IrVersion { get; init; }

    public string ProducerName { get; init; } = "";

    public string ProducerVersion { get; init; } = "";

    public string DocString { get; init; } = "";

    /// <summary>Operator set per domain ("" is the default ONNX domain).</summary>
    public List<(string Domain, long Version)> OpsetImports { get; } = [];

    public required OnnxGraphProto Graph { get; init; }

    public List<KeyValuePair<string, string>> MetadataProps { get; } = [];

    public override void WriteFields(CodedOutputStream output)
    {
        WriteInt64(output, 1, IrVersion);
        WriteString(output, 2, ProducerName);
        WriteString(output, 3, ProducerVersion);
        WriteString(output, 6, DocString);
        WriteMessage(output, 7, Graph);
        foreach (var (domain, version) in OpsetImports)
            WriteMessage(output, 8, new OperatorSetId(domain, version));
        foreach (var entry in MetadataProps)
            WriteMessage(output, 14, new StringStringEntry(entry.Key, entry.Value));
    }

    private sealed class OperatorSetId(string domain, long version) : ProtoMessage
    {
        public override void WriteFields(CodedOutputStream output)
        {
            WriteString(output, 1, domain);
            WriteInt64(output, 2, version);
        }
    }

    private sealed class StringStringEntry(string key, string value) : ProtoMessage
    {
        public override void WriteFields(CodedOutputStream output)
        {
            WriteString(output, 1, key);
            WriteString(output, 2, value);
        }
    }
}
