using DigitMl.Export;

namespace DigitMl.Tests.Export;

/// <summary>
/// Random YOLOv8 state dicts with the reference's names and shapes for a (depth, width, max channels) scale,
/// built without TorchSharp: lets exporter and scoring tests run on small models of any scale.
/// BatchNorm statistics are random too so folding is exercised.
/// </summary>
internal static class SyntheticYoloWeights
{
    /// <summary>
    /// A state dict for <paramref name="numClasses"/> dataset classes; with 4 <paramref name="orientations"/> the class
    /// branch has 4 * numClasses turn-major channels, as a turn-aware model (docs/orientation.md).
    /// </summary>
    public static Dictionary<string, WeightTensor> Create(double depth, double width, int maxChannels, int numClasses, int seed = 1, int orientations = 1)
    {
        numClasses *= orientations;
        var random = new Random(seed);
        var dict = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        int Ch(int c) => Math.Max(8, (int)Math.Ceiling(Math.Min(c, maxChannels) * width / 8) * 8);
        int N(int n) => n > 1 ? Math.Max((int)Math.Round(n * depth), 1) : n;

        void Tensor(string name, long[] shape, float scale, float offset = 0)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var data = new float[count];
            for (int i = 0; i < count; i++) data[i] = offset + (scale * (float)((random.NextDouble() * 2) - 1));
            dict[name] = new WeightTensor(shape, data);
        }

        void Conv(string p, int c1, int c2, int k)
        {
            Tensor($"{p}.conv.weight", [c2, c1, k, k], 1f / MathF.Sqrt(c1 * k * k));
            Tensor($"{p}.bn.weight", [c2], 0.3f, 1f);
            Tensor($"{p}.bn.bias", [c2], 0.2f);
            Tensor($"{p}.bn.running_mean", [c2], 0.2f);
            Tensor($"{p}.bn.running_var", [c2], 0.4f, 1f);
        }

        void C2f(string p, int c1, int c2, int n)
        {
            int c = c2 / 2;
            Conv($"{p}.cv1", c1, 2 * c, 1);
            Conv($"{p}.cv2", (2 + n) * c, c2, 1);
            for (int i = 0; i < n; i++)
            {
                Conv($"{p}.m.{i}.cv1", c, c, 3);
                Conv($"{p}.m.{i}.cv2", c, c, 3);
            }
        }

        int c64 = Ch(64), c128 = Ch(128), c256 = Ch(256), c512 = Ch(512), c1024 = Ch(1024);
        Conv("model.0", 3, c64, 3);
        Conv("model.1", c64, c128, 3);
        C2f("model.2", c128, c128, N(3));
        Conv("model.3", c128, c256, 3);
        C2f("model.4", c256, c256, N(6));
        Conv("model.5", c256, c512, 3);
        C2f("model.6", c512, c512, N(6));
        Conv("model.7", c512, c1024, 3);
        C2f("model.8", c1024, c1024, N(3));
        Conv("model.9.cv1", c1024, c1024 / 2, 1);
        Conv("model.9.cv2", c1024 / 2 * 4, c1024, 1);
        C2f("model.12", c1024 + c512, c512, N(3));
        C2f("model.15", c512 + c256, c256, N(3));
        Conv("model.16", c256, c256, 3);
        C2f("model.18", c256 + c512, c512, N(3));
        Conv("model.19", c512, c512, 3);
        C2f("model.21", c512 + c1024, c1024, N(3));

        int[] levels = [c256, c512, c1024];
        int boxHidden = Math.Max(Math.Max(16, c256 / 4), 64);
        int clsHidden = Math.Max(c256, Math.Min(numClasses, 100));
        for (int i = 0; i < 3; i++)
        {
            Conv($"model.22.cv2.{i}.0", levels[i], boxHidden, 3);
            Conv($"model.22.cv2.{i}.1", boxHidden, boxHidden, 3);
            Tensor($"model.22.cv2.{i}.2.weight", [64, boxHidden, 1, 1], 1f / MathF.Sqrt(boxHidden));
            Tensor($"model.22.cv2.{i}.2.bias", [64], 1f);
            Conv($"model.22.cv3.{i}.0", levels[i], clsHidden, 3);
            Conv($"model.22.cv3.{i}.1", clsHidden, clsHidden, 3);
            Tensor($"model.22.cv3.{i}.2.weight", [numClasses, clsHidden, 1, 1], 1f / MathF.Sqrt(clsHidden));
            Tensor($"model.22.cv3.{i}.2.bias", [numClasses], 1f, -2f);
        }

        dict["model.22.dfl.conv.weight"] = new WeightTensor([1, 16, 1, 1], Enumerable.Range(0, 16).Select(v => (float)v).ToArray());
        return dict;
    }
}
