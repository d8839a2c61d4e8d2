using System.Text;
using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>onnx.AttributeProto for the attribute kinds the exporter needs: int, float, string, ints.</summary>
internal sealed class OnnxAttributeProto : ProtoMessage
{
    private const int TypeFloat = 1;
    private const int TypeInt = 2;
    private const int TypeString = 3;
    private const int TypeInts = 7;

    private readonly int _type;
    private readonly float _float;
    private readonly long _int;
    private readonly string? _string;
    private readonly long[]? _ints;

    private OnnxAttributeProto(string name, int type, float f = 0, long i = 0, string? s = null, long[]? ints = null)
    {
        Name = name;
        _type = type;
        _float = f;
        _int = i;
        _string = s;
        _ints = ints;
    }

    public string Name { get; }

    public static OnnxAttributeProto Int(string name, long value) => new(name, TypeInt, i: value);

    public static OnnxAttributeProto Float(string name, float value) => new(name, TypeFloat, f: value);

    public static OnnxAttributeProto String(string name, string value) => new(name, TypeString, s: value);

    public static OnnxAttributeProto Ints(string name, params long[] values) => new(name, TypeInts, ints: values);

    public override void WriteFields(CodedOutputStream output)
    {
        WriteString(output, 1, Name);
        switch (_type)
        {
            case TypeFloat:
                WriteFloat(output, 2, _float);
                break;
            case TypeInt:
                WriteInt64(output, 3, _int);
                break;
            case TypeString:
                WriteBytes(output, 4, Encoding.UTF8.GetBytes(_string!));
                break;
            case TypeInts:
                foreach (long value in _ints!)
                    WriteInt64(output, 8, value);
                break;
        }

        WriteInt32(output, 20, _type);
    }
}
