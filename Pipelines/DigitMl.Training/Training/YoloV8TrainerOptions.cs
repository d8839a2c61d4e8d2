using DigitMl.Data;
using DigitMl.Modeling;
using DigitMl.Training.Augmentation;
using DigitMl.Training.Settings;

namespace DigitMl.Training;

/// <summary>
/// Hyperparameters of <see cref="YoloV8Trainer"/>, one defaults record: names and defaults follow the reference's
/// <c>default.yaml</c> except <see cref="ImageSize"/> (160: the digit scenes are small), <see cref="Epochs"/> (10:
/// the reference's 100 assume a GPU) and flips (off: a mirrored digit is not a digit). Keys, help texts and ranges
/// of every setting: <see cref="TrainerSettings"/>.
/// </summary>
public sealed record YoloV8TrainerOptions
{
    public YoloV8Scale Scale { get; init; } = YoloV8Scale.N;

    /// <summary>Square network input size in pixels (multiple of 32).</summary>
    public int ImageSize { get; init; } = 160;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 16;

    /// <summary>Gradients are accumulated over about NominalBatchSize / BatchSize batches per optimizer step.</summary>
    public int NominalBatchSize { get; init; } = 64;

    /// <summary>"auto" (the reference's rule: SGD for more than 10,000 iterations, else AdamW with a fitted lr), "SGD" or "AdamW".</summary>
    public string Optimizer { get; init; } = "auto";

    public double Lr0 { get; init; } = 0.01;

    /// <summary>Final learning rate as a fraction of <see cref="Lr0"/>.</summary>
    public double Lrf { get; init; } = 0.01;

    public double Momentum { get; init; } = 0.937;

    /// <summary>Weight decay of the conv/linear weights (scaled by batch * accumulation / nominal batch).</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Warmup length in epochs (at most epochs - 1, as the current reference); 0 turns warmup off.</summary>
    public double WarmupEpochs { get; init; } = 3.0;

    public double WarmupMomentum { get; init; } = 0.8;

    /// <summary>Starting learning rate of the bias group during warmup (0 when "auto" picks AdamW).</summary>
    public double WarmupBiasLr { get; init; } = 0.1;

    /// <summary>Cosine instead of linear decay from Lr0 to Lr0 * Lrf.</summary>
    public bool CosineLr { get; init; }

    public double MaxGradNorm { get; init; } = 10.0;

    public double EmaDecay { get; init; } = 0.9999;

    /// <summary>EMA warm-up: effective decay = EmaDecay * (1 - exp(-updates / EmaTau)).</summary>
    public double EmaTau { get; init; } = 2000;

    public DetectionLossGains LossGains { get; init; } = new();

    /// <summary>Probability of a 4-image mosaic per training image.</summary>
    public double Mosaic { get; init; } = 1.0;

    /// <summary>Mosaic is turned off for the last CloseMosaic epochs.</summary>
    public int CloseMosaic { get; init; } = 10;

    public double HsvH { get; init; } = 0.015;

    public double HsvS { get; init; } = 0.7;

    public double HsvV { get; init; } = 0.4;

    public double Translate { get; init; } = 0.1;

    /// <summary>Random zoom gain of the affine augmentation (the reference's <c>scale</c>).</summary>
    public double ScaleAugmentation { get; init; } = 0.5;

    public double Degrees { get; init; }

    public double Shear { get; init; }

    /// <summary>Horizontal flip probability; 0 by default because a mirrored digit is not a digit.</summary>
    public double FlipLR { get; init; }

    /// <summary>Vertical flip probability; 0 by default (an upside-down 6 is a 9).</summary>
    public double FlipUD { get; init; }

    /// <summary>Stop after this many epochs without a better fitness.</summary>
    public int Patience { get; init; } = 100;

    public int Seed { get; init; }

    /// <summary>Initial weights: one of our checkpoints or a reference-named safetensors file (null: random init).</summary>
    public string? Init { get; init; }

    /// <summary>Freeze the first K layers (model.0 .. model.K-1).</summary>
    public int Freeze { get; init; }

    /// <summary>
    /// The image size a fresh head's class-bias prior assumes: class logits start at log(5 / nc / (size / stride)^2).
    /// The reference uses 640 whatever the training size; measured here (docs/training.md) before changing it.
    /// </summary>
    public int PriorImageSize { get; init; } = 640;

    /// <summary>
    /// Box sides shorter than this (pixels) are widened to 16 for the assigner's candidate test only, as the current
    /// reference does, so thin "1"s and small digits get positive anchors; 0 turns it off (the 8.0 reference).
    /// </summary>
    public double AssignerMinSide { get; init; } = 8;

    /// <summary>1 (plain classes) or 4 (turn-aware classes: training labels are turn * nc + class; docs/orientation.md).</summary>
    public int Orientations { get; init; } = 1;

    /// <summary>
    /// Most background threads that decode and augment upcoming batches; only cores that libtorch's threads leave free
    /// get one (with <see cref="Threads"/> 0, libtorch takes every core and the next batch is built ahead while the
    /// assigner and the loss run, <see cref="TrainBatchLoader.BuildAhead"/>).
    /// </summary>
    public int Workers { get; init; } = 2;

    /// <summary>Batches prepared ahead of the one being trained.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>
    /// Keep decoded images in memory between epochs (all decoded before the first step), unless they would take more
    /// than half of the memory the process may use (<see cref="TrainBatchLoader.CacheFits"/>).
    /// </summary>
    public bool CacheImages { get; init; } = true;

    /// <summary>The input columns the ML.NET trainer reads (not a hyperparameter: plumbing, like the output folder).</summary>
    public DetectionColumns Columns { get; init; } = DetectionColumns.Default;

    /// <summary>Where last.ckpt, best.ckpt and results.csv go.</summary>
    public string OutputDirectory { get; init; } = "runs/train";

    /// <summary>Continue from OutputDirectory/last.ckpt.</summary>
    public bool Resume { get; init; }

    /// <summary>Validate after every epoch (otherwise fitness is not measured and best = last).</summary>
    public bool Validate { get; init; } = true;

    public float ValConf { get; init; } = 0.001f;

    public float ValIoU { get; init; } = 0.7f;

    public int MaxDetections { get; init; } = 300;

    /// <summary>Validation batch size (default: 2 x BatchSize).</summary>
    public int? ValBatchSize { get; init; }

    /// <summary>"cpu" or "cuda" (when the CUDA libtorch is present).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// "auto" (bf16 mixed precision on a CPU with bf16 instructions, float32 elsewhere), "fp32" or "bf16":
    /// <see cref="TrainingPrecision"/>. Checkpoints and exported models are float32 either way.
    /// </summary>
    public string Precision { get; init; } = "auto";

    /// <summary>libtorch threads; 0 = the cores this process may use (affinity, cgroup quota), shared with other training jobs.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Folder of the core-share leases (<see cref="Threading.CoreShare"/>): training jobs with the same folder split the cores
    /// between them. Null: no sharing. Run plumbing, not a hyperparameter (the CLI uses <see cref="Threading.CoreShare.DefaultDirectory"/>).
    /// </summary>
    public string? CoreShareDirectory { get; init; }

    public TrainAugmentationOptions ToAugmentationOptions() => new()
    {
        Mosaic = Mosaic,
        Translate = Translate,
        Scale = ScaleAugmentation,
        Degrees = Degrees,
        Shear = Shear,
        HsvH = HsvH,
        HsvS = HsvS,
        HsvV = HsvV,
        FlipLR = FlipLR,
        FlipUD = FlipUD,
    };

    /// <summary>Throws on values the trainer cannot run with, naming the setting and what it allows.</summary>
    public void ThrowIfInvalid()
    {
        foreach (var setting in TrainerSettings.All)
        {
            try
            {
                setting.Validate(setting.Get(this));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"trainer option {e.Message}", e);
            }
        }
    }
}
