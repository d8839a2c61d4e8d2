using Onnx;

namespace DigitMl.Export.Onnx;

/// <summary>
/// Factories for <see cref="AttributeProto"/> (OnnxSharp's types, generated from the ONNX project's onnx.proto3) of
/// the kinds the exporter writes. docs/packaging.md says why the messages come from that package.
/// </summary>
internal static class OnnxAttributeProto
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };
}
