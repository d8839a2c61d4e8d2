using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>
/// Base of the write-only ONNX message classes: each message writes its own fields with
/// Google.Protobuf's <see cref="CodedOutputStream"/>; nested messages are length-delimited fields.
/// Field numbers follow onnx.proto (proto2 syntax, so repeated scalars are written unpacked).
/// </summary>
internal abstract class ProtoMessage
{
    public abstract void WriteFields(CodedOutputStream output);

    public byte[] ToByteArray()
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            WriteFields(output);
        }

        return buffer.ToArray();
    }

    protected static void WriteMessage(CodedOutputStream output, int field, ProtoMessage message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message.ToByteArray()));
    }

    protected static void WriteString(CodedOutputStream output, int field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        WriteRepeatedStringEntry(output, field, value);
    }

    /// <summary>A repeated string entry is written even when empty: ONNX uses "" for an omitted optional input.</summary>
    protected static void WriteRepeatedStringEntry(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    protected static void WriteInt64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    protected static void WriteInt32(CodedOutputStream output, int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }

    protected static void WriteFloat(CodedOutputStream output, int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
    }

    protected static void WriteBytes(CodedOutputStream output, int field, ReadOnlyMemory<byte> value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));
    }
}
