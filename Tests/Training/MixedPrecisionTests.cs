using DigitMl.Data;
using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using DigitMl.Training.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

/// <summary>bf16 mixed precision: float32 master weights, statistics and gradients around a bf16 network; the setting and its detection.</summary>
public sealed class MixedPrecisionTests
{
    private const string TwoCpusWithBf16 = "processor\t: 0\nflags\t\t: fpu sse2 avx512f avx512_bf16 avx512_vnni\n\nprocessor\t: 1\nflags\t\t: fpu sse2 avx512f avx512_bf16\n";

    [Test]
    public void Bf16IsDetectedOnlyWhenEveryCpuHasIt()
    {
        Assert.That(CpuFeatures.HasBFloat16(TwoCpusWithBf16), Is.True);
        Assert.That(CpuFeatures.HasBFloat16("flags\t: fpu amx_tile amx_bf16 amx_int8\n"), Is.True, "AMX");
        Assert.That(CpuFeatures.HasBFloat16("flags\t: fpu avx512f avx512_bf16\nflags\t: fpu avx512f\n"), Is.False, "one CPU without it");
        Assert.That(CpuFeatures.HasBFloat16("flags\t: fpu avx2 avx512f avx512_vnni\n"), Is.False);
        Assert.That(CpuFeatures.HasBFloat16("Processor\t: ARMv7\n"), Is.False, "no flag lines");
    }

    [Test]
    public void AutoPicksBf16OnlyOnACpuThatHasIt()
    {
        Assert.That(TrainingPrecision.Resolve("auto", "cpu", cpuHasBFloat16: true), Is.EqualTo(TrainingPrecision.BFloat16));
        Assert.That(TrainingPrecision.Resolve("auto", "cpu", cpuHasBFloat16: false), Is.EqualTo(TrainingPrecision.Float32));
        Assert.That(TrainingPrecision.Resolve("auto", "cuda", cpuHasBFloat16: true), Is.EqualTo(TrainingPrecision.Float32), "auto is a CPU rule");
        Assert.That(TrainingPrecision.Resolve("FP32", "cpu", cpuHasBFloat16: true), Is.EqualTo(TrainingPrecision.Float32));
        Assert.That(TrainingPrecision.Resolve("bf16", "cpu", cpuHasBFloat16: false), Is.EqualTo(TrainingPrecision.BFloat16), "asked for explicitly");
        Assert.That(() => TrainingPrecision.Resolve("fp16"), Throws.ArgumentException.With.Message.Contains("auto, fp32, bf16"));
    }

    [Test]
    public void BatchesAreChannelsLastInBothPrecisions()
    {
        using var scope = NewDisposeScope();
        var images = rand(2, 3, 32, 32);
        var bf16 = TrainingPrecision.BFloat16.PrepareInput(images);
        var fp32 = TrainingPrecision.Float32.PrepareInput(images);
        Assert.That(bf16.dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(bf16.stride(), Is.EqualTo(new long[] { 3 * 32 * 32, 1, 32 * 3, 3 }), "NHWC strides");
        Assert.That(fp32.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(fp32.stride(), Is.EqualTo(bf16.stride()));
        Assert.That(fp32.sub(images).abs().max().item<float>(), Is.Zero);
        var nchw = (TrainingPrecision.Float32 with { ChannelsLast = false }).PrepareInput(images);
        Assert.That(nchw.is_contiguous(), Is.True, "the layout is a switch (bench measures both)");
        Assert.That(bf16.to_type(ScalarType.Float32).sub(images).abs().max().item<float>(), Is.LessThan(0.004f), "same values, bf16 rounding");
    }


    [Test]
    public void ByteBatchesBecomeTheSameInputAsTheFloatPathInEitherLayout()
    {
        using var scope = NewDisposeScope();
        var random = new Random(4);
        var images = Enumerable.Range(0, 2).Select(_ => { var p = new byte[3 * 8 * 6]; random.NextBytes(p); return new RgbImage(8, 6, p); }).ToArray();
        var chw = new float[2 * 3 * 8 * 6];
        for (int i = 0; i < 2; i++) Letterbox.ToChwFloats(images[i], chw.AsSpan(i * 144, 144));
        var expected = tensor(chw, [2, 3, 6, 8]);
        var pixels = tensor(images.SelectMany(i => i.Pixels).ToArray(), [2, 6, 8, 3]);

        var fp32 = TrainingPrecision.Float32.InputFromPixels(pixels);
        Assert.That(fp32.shape, Is.EqualTo(new long[] { 2, 3, 6, 8 }));
        Assert.That(fp32.stride(), Is.EqualTo(new long[] { 3 * 6 * 8, 1, 8 * 3, 3 }), "NHWC strides");
        Assert.That(fp32.eq(expected).all().item<bool>(), Is.True, "bit for bit the values of ToChwFloats");
        var nchw = (TrainingPrecision.Float32 with { ChannelsLast = false }).InputFromPixels(pixels);
        Assert.That(nchw.is_contiguous(), Is.True);
        Assert.That(nchw.eq(expected).all().item<bool>(), Is.True);
        var bf16 = TrainingPrecision.BFloat16.InputFromPixels(pixels);
        Assert.That(bf16.dtype, Is.EqualTo(ScalarType.BFloat16));
        Assert.That(bf16.eq(TrainingPrecision.BFloat16.PrepareInput(expected)).all().item<bool>(), Is.True, "the float values rounded once to bf16");
        Assert.That(() => TrainingPrecision.Float32.InputFromPixels(expected), Throws.ArgumentException.With.Message.Contains("RGB bytes"));
    }
    [Test]
    public void ABf16StepKeepsFloat32WeightsStatisticsAndFiniteGradientsCloseToFloat32s()
    {
        // Two copies of the same weights; one step each on the same batch, float32 and bf16.
        manual_seed(3);
        using var fp32 = new YoloV8Model(YoloV8Scale.Tiny, 3, priorImageSize: 64);
        using var bf16 = new YoloV8Model(YoloV8Scale.Tiny, 3, priorImageSize: 64);
        Checkpoint.LoadStateDict(bf16, fp32.state_dict(), "copy");
        fp32.train();
        bf16.train();
        var loss = new DetectionLoss(3, fp32.Strides);
        using var scope = NewDisposeScope();
        manual_seed(4);
        var images = rand(4, 3, 64, 64);
        var targets = tensor(new float[] { 0, 4, 4, 24, 30, 1, 30, 20, 50, 44, 2, 10, 36, 28, 60 }, [1, 3, 5]).expand(4, 3, 5).contiguous();
        var mask = ones(4, 3);

        var (fp32Loss, fp32Grads) = Step(fp32, loss, TrainingPrecision.Float32, images, targets, mask);
        var (bf16Loss, bf16Grads) = Step(bf16, loss, TrainingPrecision.BFloat16, images, targets, mask);

        Assert.That(bf16.parameters().Select(p => p.dtype).Distinct(), Is.EqualTo(new[] { ScalarType.Float32 }), "master weights");
        Assert.That(bf16.buffers().Where(b => b.is_floating_point()).Select(b => b.dtype).Distinct(), Is.EqualTo(new[] { ScalarType.Float32 }), "BatchNorm statistics");
        Assert.That(bf16Grads.Select(g => g.dtype).Distinct(), Is.EqualTo(new[] { ScalarType.Float32 }), "gradients reach the float32 weights as float32");
        Assert.That(bf16Grads.All(g => g.isfinite().all().item<bool>()), Is.True, "finite without loss scaling");
        Assert.That(bf16Loss, Is.EqualTo(fp32Loss).Within(0.02 * fp32Loss), "loss in float32 on bf16 maps");

        var a = cat(fp32Grads.Select(g => g.flatten()).ToArray());
        var b = cat(bf16Grads.Select(g => g.flatten()).ToArray());
        double cosine = nn.functional.cosine_similarity(a.unsqueeze(0), b.unsqueeze(0)).item<float>();
        TestContext.Out.WriteLine($"loss fp32 {fp32Loss:F4} bf16 {bf16Loss:F4}; gradient cosine {cosine:F4}, norms {a.norm().item<float>():F3} / {b.norm().item<float>():F3}");
        Assert.That(cosine, Is.GreaterThan(0.9), "the bf16 gradient points where the float32 one does");

        // the running statistics were updated in float32 and moved as the float32 step's did
        var fp32Stats = fp32.named_buffers().Where(n => n.name.EndsWith("running_var", StringComparison.Ordinal)).Select(n => n.buffer.flatten());
        var bf16Stats = bf16.named_buffers().Where(n => n.name.EndsWith("running_var", StringComparison.Ordinal)).Select(n => n.buffer.flatten());
        var deviation = cat(fp32Stats.ToArray()).sub(cat(bf16Stats.ToArray())).abs().max().item<float>();
        Assert.That(deviation, Is.LessThan(0.01f), "running_var after one bf16 step");
    }

    private static (float Loss, List<Tensor> Grads) Step(YoloV8Model model, DetectionLoss loss, TrainingPrecision precision, Tensor images, Tensor targets, Tensor mask)
    {
        var raw = TrainingPrecision.ToFloat32(model.forward(precision.PrepareInput(images)));
        Assert.That(raw.Select(r => r.dtype).Distinct(), Is.EqualTo(new[] { ScalarType.Float32 }), "the loss reads float32 maps");
        using var result = loss.Compute(raw, targets, mask);
        result.Total.backward();
        return (result.Box + result.Cls + result.Dfl, model.parameters().Where(p => p.grad is not null).Select(p => p.grad!.clone()).ToList());
    }

    [Test]
    public void TrainingInBf16WritesFloat32CheckpointsThatExportToFloat32Onnx()
    {
        var dataset = YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11));
        var dir = TinyScenes.NewTempDirectory("bf16-train");
        var notes = new List<string>();
        var options = new YoloV8TrainerOptions
        {
            Scale = YoloV8Scale.Tiny,
            ImageSize = 64,
            Epochs = 2,
            BatchSize = 4,
            NominalBatchSize = 4,
            Optimizer = "AdamW",
            Lr0 = 0.005,
            WarmupEpochs = 0,
            Workers = 1,
            Precision = "bf16",
            OutputDirectory = dir,
        };

        var result = TrainingLoop.Run(options, dataset.Split("train"), dataset.Split("val"), dataset.Names,
            new SynchronousProgress(p => { if (p.Note is { } note) notes.Add(note); }));

        Assert.That(result.Precision, Is.EqualTo("bf16"));
        Assert.That(notes, Has.Some.StartsWith("precision bf16"), "the run says what it computes in");
        Assert.That(result.History.All(h => float.IsFinite(h.TrainBoxLoss + h.TrainClsLoss + h.TrainDflLoss)), Is.True);
        using var stored = Checkpoint.Read(result.LastCheckpoint);
        Assert.That(stored.Model.Values.Concat(stored.Ema!.Values).Where(t => t.is_floating_point()).Select(t => t.dtype).Distinct(), Is.EqualTo(new[] { ScalarType.Float32 }), "weights, EMA and BatchNorm statistics");

        var (model, info) = Checkpoint.Load(result.BestCheckpoint);
        using (model)
        {
            string onnx = Path.Combine(dir, "model.onnx");
            OnnxExporter.Export(model, onnx, new OnnxExportMetadata(info.Names, info.ImageSize));
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
            Assert.That(session.InputMetadata.Values.Single().ElementDataType, Is.EqualTo(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float));
            Assert.That(session.OutputMetadata.Values.First().ElementDataType, Is.EqualTo(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float));
        }
    }

    [Test]
    public void TheTrainerProfilesEveryPhaseOfItsSteps()
    {
        var dataset = YoloDataset.Load(TinyScenes.Create(8, 2, 1, imgsz: 64, seed: 11));
        var options = new YoloV8TrainerOptions
        {
            Scale = YoloV8Scale.Tiny,
            ImageSize = 64,
            Epochs = 1,
            BatchSize = 2,
            NominalBatchSize = 4,
            Validate = false,
            Workers = 1,
            Precision = "fp32",
            OutputDirectory = TinyScenes.NewTempDirectory("profile"),
        };

        var profile = TrainingLoop.Run(options, dataset.Split("train"), [], dataset.Names).Profile;

        Assert.That(profile.Batches, Is.EqualTo(4));
        Assert.That(profile.Images, Is.EqualTo(8));
        foreach (var phase in new[] { StepPhase.HostToTensor, StepPhase.Forward, StepPhase.Assigner, StepPhase.Loss, StepPhase.Backward, StepPhase.Optimizer, StepPhase.Ema })
            Assert.That(profile.Seconds(phase), Is.GreaterThan(0), phase.ToString());
        Assert.That(Enum.GetValues<StepPhase>().Sum(profile.Fraction), Is.EqualTo(1).Within(1e-9));
        Assert.That(profile.Seconds(StepPhase.Forward) + profile.Seconds(StepPhase.Backward), Is.GreaterThan(profile.Seconds(StepPhase.Logging)));
        double model = profile.Seconds(StepPhase.Forward) + profile.Seconds(StepPhase.Assigner) + profile.Seconds(StepPhase.Loss) + profile.Seconds(StepPhase.Backward);
        Assert.That(profile.ModelShare, Is.EqualTo(model / profile.TotalSeconds).Within(1e-9), "forward, assigner, loss and backward of the whole step");
        Assert.That(profile.ModelShare, Is.InRange(0.0, 1.0).And.LessThan(1.0));
    }

    [Test]
    public void TheModelShareLeavesOutEverythingButTheNetworksOwnPhases()
    {
        var profile = new StepProfile();
        long second = System.Diagnostics.Stopwatch.Frequency;
        profile.Add(StepPhase.DataWait, second);
        profile.Add(StepPhase.Forward, 2 * second);
        profile.Add(StepPhase.Assigner, second / 2);
        profile.Add(StepPhase.Loss, second / 2);
        profile.Add(StepPhase.Backward, 4 * second);
        profile.Add(StepPhase.Optimizer, second);
        profile.Add(StepPhase.Ema, second);
        Assert.That(profile.ModelShare, Is.EqualTo(7.0 / 10).Within(1e-12));
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> handler) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => handler(value);
    }

    [Test]
    public void AnObserverSeesEveryConvolutionOnceAPassWithItsInput()
    {
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 3, priorImageSize: 64);
        // all of them but the DFL's fixed one, which decodes boxes at inference and is not part of a training pass
        var convolutions = model.modules().OfType<TorchSharp.Modules.Conv2d>().Where(c => c.weight!.requires_grad).ToList();
        var seen = new List<(TorchSharp.Modules.Conv2d Conv, long[] Shape)>();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            using (MixedPrecision.ObserveConvolutions((conv, input) => seen.Add((conv, input.shape))))
            {
                model.forward(TrainingPrecision.BFloat16.PrepareInput(rand(2, 3, 64, 64)));
                Assert.That(seen.Select(s => s.Conv).Distinct().Count(), Is.EqualTo(convolutions.Count), "every convolution");
                Assert.That(seen, Has.Count.EqualTo(convolutions.Count), "once each");
                foreach (var (conv, shape) in seen)
                    Assert.That(shape[1], Is.EqualTo(conv.weight.shape[1] * conv.groups), "the input it convolves");
                Assert.That(seen[0].Shape, Is.EqualTo(new long[] { 2, 3, 64, 64 }), "the stem sees the image");
            }
            model.forward(rand(1, 3, 64, 64));
        }
        Assert.That(model.training, Is.True, "a training pass (raw maps)");
        Assert.That(seen, Has.Count.EqualTo(convolutions.Count), "nothing is observed once the observation is disposed");
    }
}
