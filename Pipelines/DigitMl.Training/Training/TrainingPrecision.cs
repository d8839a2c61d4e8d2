using DigitMl.Modeling;
using DigitMl.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// The precision a training run computes its network in (<see cref="YoloV8TrainerOptions.Precision"/>, resolved):
/// float32, or bf16 mixed precision, where only the network's forward and backward run in bf16 (its parameters,
/// BatchNorm statistics, gradients and optimizer state stay float32: <see cref="MixedPrecision"/>); the loss, the
/// assigner and the metrics take the head's maps cast back to float32. bf16 has float32's exponent range, so no
/// loss scaling is needed. The memory layout is part of the choice: batches are channels-last (NHWC strides) in both
/// precisions; libtorch's oneDNN convolutions measured faster on them for both (docs/training.md, "Measured").
/// </summary>
public sealed record TrainingPrecision
{
    public static IReadOnlyList<string> Choices { get; } = ["auto", "fp32", "bf16"];

    public static TrainingPrecision Float32 { get; } = new("fp32", ScalarType.Float32, channelsLast: true);

    public static TrainingPrecision BFloat16 { get; } = new("bf16", ScalarType.BFloat16, channelsLast: true);

    private TrainingPrecision(string name, ScalarType dtype, bool channelsLast)
    {
        Name = name;
        DType = dtype;
        ChannelsLast = channelsLast;
    }

    /// <summary>fp32 or bf16.</summary>
    public string Name { get; }

    /// <summary>The dtype the network computes in.</summary>
    public ScalarType DType { get; }

    /// <summary>Batches are handed to the network in channels-last (NHWC) memory order.</summary>
    public bool ChannelsLast { get; init; }

    /// <summary>
    /// The setting's precision: "fp32", "bf16", or "auto" = bf16 on a CPU with bf16 instructions
    /// (<see cref="CpuFeatures.SupportsBFloat16"/>), float32 elsewhere (other devices included).
    /// </summary>
    public static TrainingPrecision Resolve(string setting, string device = "cpu", bool? cpuHasBFloat16 = null)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting.ToLowerInvariant() switch
        {
            "fp32" => Float32,
            "bf16" => BFloat16,
            "auto" => device == "cpu" && (cpuHasBFloat16 ?? CpuFeatures.SupportsBFloat16) ? BFloat16 : Float32,
            _ => throw new ArgumentException($"precision '{setting}': expected {string.Join(", ", Choices)}"),
        };
    }

    private static readonly Scalar ByteRange = 255f.ToScalar();

    /// <summary>
    /// An RGB byte batch [B, H, W, 3] (<see cref="TrainBatch.Pixels"/>) as the network's input [B, 3, H, W]: pixels / 255
    /// in float32 (the same values as <see cref="Data.Letterbox.ToChwFloats"/>), then this precision's dtype and layout.
    /// The bytes are already in channels-last order, so that layout is a view, not a copy.
    /// </summary>
    public Tensor InputFromPixels(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4 || pixels.shape[3] != 3)
            throw new ArgumentException($"expected RGB bytes [B, H, W, 3], got {pixels.dtype} [{string.Join(", ", pixels.shape)}]", nameof(pixels));
        using var floats = pixels.to_type(ScalarType.Float32);
        floats.div_(ByteRange);
        using var cast = DType == ScalarType.Float32 ? floats.alias() : floats.to_type(DType);
        if (ChannelsLast) return cast.permute(0, 3, 1, 2);
        using var nchw = cast.permute(0, 3, 1, 2);
        return nchw.contiguous();
    }

    /// <summary>A float32 image batch [B, 3, H, W] in this precision's dtype and memory layout (a new tensor).</summary>
    public Tensor PrepareInput(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!ChannelsLast) return images.dtype == DType ? images.alias() : images.to_type(DType);
        using var cast = images.to_type(DType);
        using var nhwc = cast.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }

    /// <summary>The head's raw maps as float32, for the loss (the cast is differentiable: gradients flow back in bf16).</summary>
    public static Tensor[] ToFloat32(Tensor[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return [.. raw.Select(map => map.dtype == ScalarType.Float32 ? map.alias() : map.to_type(ScalarType.Float32))];
    }

    public override string ToString() => Name;
}
