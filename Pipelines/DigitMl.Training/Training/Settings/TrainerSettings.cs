using DigitMl.Modeling;

namespace DigitMl.Training.Settings;

/// <summary>
/// Every setting of <see cref="YoloV8TrainerOptions"/> by its key (Ultralytics' name where it has one), with its
/// help text and range. Defaults live on the options record itself. The experiment schema, <c>--set</c>, the CLI's
/// settings table, config.json and <see cref="YoloV8TrainerOptions.ThrowIfInvalid"/> all read this one table.
/// Not listed (run plumbing, set by whoever runs the trainer): OutputDirectory, Resume, Columns, CoreShareDirectory.
/// </summary>
public static class TrainerSettings
{
    public static IReadOnlyList<string> Optimizers { get; } = ["auto", "SGD", "Adam", "AdamW"];

    public static IReadOnlyList<Setting<YoloV8TrainerOptions>> All { get; } =
    [
        Setting.Choice<YoloV8TrainerOptions>("scale", "model scale", YoloV8Scale.All.Select(s => s.Name).ToArray(),
            o => o.Scale.Name, (o, v) => o with { Scale = YoloV8Scale.Parse(v) }),
        Setting.Integer<YoloV8TrainerOptions>("imgsz", "square training/inference size in pixels", 32, 4096,
            o => o.ImageSize, (o, v) => o with { ImageSize = v }, multipleOf: 32),
        Setting.Integer<YoloV8TrainerOptions>("epochs", "training epochs", 1, 100_000, o => o.Epochs, (o, v) => o with { Epochs = v }),
        Setting.Integer<YoloV8TrainerOptions>("batch", "images per batch", 1, 4096, o => o.BatchSize, (o, v) => o with { BatchSize = v }),
        Setting.Integer<YoloV8TrainerOptions>("nbs", "nominal batch: gradients accumulate over about nbs / batch batches", 1, 65_536,
            o => o.NominalBatchSize, (o, v) => o with { NominalBatchSize = v }),
        Setting.Choice<YoloV8TrainerOptions>("optimizer", "auto (SGD for long runs, else AdamW with a fitted lr), SGD (Nesterov), Adam or AdamW",
            Optimizers, o => o.Optimizer, (o, v) => o with { Optimizer = v }),
        Setting.Number<YoloV8TrainerOptions>("lr0", "initial learning rate (replaced by the fitted one under optimizer auto)", 1e-8, 10,
            o => o.Lr0, (o, v) => o with { Lr0 = v }),
        Setting.Number<YoloV8TrainerOptions>("lrf", "final learning rate as a fraction of lr0", 1e-6, 1, o => o.Lrf, (o, v) => o with { Lrf = v }),
        Setting.Number<YoloV8TrainerOptions>("momentum", "SGD momentum / Adam beta1", 0, 0.9999, o => o.Momentum, (o, v) => o with { Momentum = v }),
        Setting.Number<YoloV8TrainerOptions>("weight_decay", "weight decay of conv weights (scaled by batch * accumulation / nbs)", 0, 1,
            o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        Setting.Number<YoloV8TrainerOptions>("warmup_epochs", "learning-rate warmup epochs (at most epochs - 1 are used; 0 = off)", 0, 1000,
            o => o.WarmupEpochs, (o, v) => o with { WarmupEpochs = v }),
        Setting.Number<YoloV8TrainerOptions>("warmup_momentum", "momentum at the start of warmup", 0, 0.9999,
            o => o.WarmupMomentum, (o, v) => o with { WarmupMomentum = v }),
        Setting.Number<YoloV8TrainerOptions>("warmup_bias_lr", "bias learning rate at the start of warmup (0 under auto's AdamW)", 0, 10,
            o => o.WarmupBiasLr, (o, v) => o with { WarmupBiasLr = v }),
        Setting.Boolean<YoloV8TrainerOptions>("cos_lr", "cosine instead of linear learning-rate decay", o => o.CosineLr, (o, v) => o with { CosineLr = v }),
        Setting.Number<YoloV8TrainerOptions>("max_grad_norm", "gradient clipping norm", 0.001, 1e6, o => o.MaxGradNorm, (o, v) => o with { MaxGradNorm = v }),
        Setting.Number<YoloV8TrainerOptions>("ema_decay", "decay of the weights' moving average", 0, 0.999999, o => o.EmaDecay, (o, v) => o with { EmaDecay = v }),
        Setting.Number<YoloV8TrainerOptions>("ema_tau", "EMA warm-up in optimizer steps", 1, 1e9, o => o.EmaTau, (o, v) => o with { EmaTau = v }),
        Setting.Number<YoloV8TrainerOptions>("box", "gain of the box (CIoU) loss", 0, 100,
            o => o.LossGains.Box, (o, v) => o with { LossGains = o.LossGains with { Box = v } }),
        Setting.Number<YoloV8TrainerOptions>("cls", "gain of the class (BCE) loss", 0, 100,
            o => o.LossGains.Cls, (o, v) => o with { LossGains = o.LossGains with { Cls = v } }),
        Setting.Number<YoloV8TrainerOptions>("dfl", "gain of the distribution focal loss", 0, 100,
            o => o.LossGains.Dfl, (o, v) => o with { LossGains = o.LossGains with { Dfl = v } }),
        Setting.Number<YoloV8TrainerOptions>("mosaic", "probability of a 4-image mosaic per training image", 0, 1, o => o.Mosaic, (o, v) => o with { Mosaic = v }),
        Setting.Integer<YoloV8TrainerOptions>("close_mosaic", "final epochs trained without mosaic", 0, 100_000,
            o => o.CloseMosaic, (o, v) => o with { CloseMosaic = v }),
        Setting.Number<YoloV8TrainerOptions>("hsv_h", "hue jitter (fraction)", 0, 1, o => o.HsvH, (o, v) => o with { HsvH = v }),
        Setting.Number<YoloV8TrainerOptions>("hsv_s", "saturation jitter (fraction)", 0, 1, o => o.HsvS, (o, v) => o with { HsvS = v }),
        Setting.Number<YoloV8TrainerOptions>("hsv_v", "value (brightness) jitter (fraction)", 0, 1, o => o.HsvV, (o, v) => o with { HsvV = v }),
        Setting.Number<YoloV8TrainerOptions>("translate", "random translation (fraction of the image)", 0, 1, o => o.Translate, (o, v) => o with { Translate = v }),
        Setting.Number<YoloV8TrainerOptions>("scale_aug", "random zoom gain (Ultralytics' 'scale')", 0, 1,
            o => o.ScaleAugmentation, (o, v) => o with { ScaleAugmentation = v }),
        Setting.Number<YoloV8TrainerOptions>("degrees", "random rotation in degrees (+/-)", 0, 180, o => o.Degrees, (o, v) => o with { Degrees = v }),
        Setting.Number<YoloV8TrainerOptions>("shear", "random shear in degrees (+/-)", 0, 90, o => o.Shear, (o, v) => o with { Shear = v }),
        Setting.Number<YoloV8TrainerOptions>("fliplr", "left-right flip probability (a mirrored digit is no digit: keep 0)", 0, 1,
            o => o.FlipLR, (o, v) => o with { FlipLR = v }),
        Setting.Number<YoloV8TrainerOptions>("flipud", "up-down flip probability (an upside-down 6 is a 9: keep 0)", 0, 1,
            o => o.FlipUD, (o, v) => o with { FlipUD = v }),
        Setting.Integer<YoloV8TrainerOptions>("patience", "stop after this many epochs without a better fitness", 1, 100_000,
            o => o.Patience, (o, v) => o with { Patience = v }),
        Setting.Integer<YoloV8TrainerOptions>("seed", "random seed", 0, int.MaxValue, o => o.Seed, (o, v) => o with { Seed = v }),
        Setting.Text<YoloV8TrainerOptions>("init",
            "starting weights: pretrained (the shipped digit weights), a checkpoint, an Ultralytics checkpoint (yolov8n.pt) or " +
            "Ultralytics-named safetensors file; in experiments also experiment:NAME (that experiment's best version)",
            o => o.Init, (o, v) => o with { Init = v }, optional: true),
        Setting.Integer<YoloV8TrainerOptions>("freeze", "leading model layers kept frozen (10 = the backbone)", 0, 22,
            o => o.Freeze, (o, v) => o with { Freeze = v }),
        Setting.Integer<YoloV8TrainerOptions>("prior_imgsz", "image size the class-bias prior of a fresh head assumes (the reference: 640)", 32, 4096,
            o => o.PriorImageSize, (o, v) => o with { PriorImageSize = v }),
        Setting.Number<YoloV8TrainerOptions>("assigner_min_side", "box sides below this many pixels are widened to 16 for the assigner's candidate test (0 = off)", 0, 16,
            o => o.AssignerMinSide, (o, v) => o with { AssignerMinSide = v }),
        Setting.Choice<YoloV8TrainerOptions>("orientations",
            "4: turn-aware classes, each class learned per quarter turn (set by rotate_policy turns; docs/orientation.md); 1: plain classes",
            ["1", "4"], o => o.Orientations == 4 ? "4" : "1", (o, v) => o with { Orientations = v == "4" ? 4 : 1 }),
        Setting.Integer<YoloV8TrainerOptions>("workers", "most background threads that decode and augment batches; used only on cores libtorch's threads leave free (none at the default threads), else batches are built between steps", 0, 256,
            o => o.Workers, (o, v) => o with { Workers = v }),
        Setting.Integer<YoloV8TrainerOptions>("prefetch", "batches prepared ahead", 1, 64, o => o.Prefetch, (o, v) => o with { Prefetch = v }),
        Setting.Boolean<YoloV8TrainerOptions>("cache", "keep decoded training images in memory (not when they would take over half of it)", o => o.CacheImages, (o, v) => o with { CacheImages = v }),
        Setting.Boolean<YoloV8TrainerOptions>("val", "validate after every epoch (else best = last)", o => o.Validate, (o, v) => o with { Validate = v }),
        Setting.Number<YoloV8TrainerOptions>("val_conf", "confidence threshold of validation", 0, 1,
            o => Math.Round(o.ValConf, 6), (o, v) => o with { ValConf = (float)v }),
        Setting.Number<YoloV8TrainerOptions>("val_iou", "NMS IoU threshold of validation", 0.01, 1,
            o => Math.Round(o.ValIoU, 6), (o, v) => o with { ValIoU = (float)v }),
        Setting.Integer<YoloV8TrainerOptions>("max_det", "detections kept per image in validation", 1, 100_000,
            o => o.MaxDetections, (o, v) => o with { MaxDetections = v }),
        Setting.OptionalInteger<YoloV8TrainerOptions>("val_batch", "validation batch size (none = 2 x batch)", 1, 4096,
            o => o.ValBatchSize, (o, v) => o with { ValBatchSize = v }),
        Setting.Text<YoloV8TrainerOptions>("device", "cpu, or cuda where a CUDA libtorch is installed", o => o.Device, (o, v) => o with { Device = v! },
            rule: text =>
            {
                if (text is not ("cpu" or "cuda") && !text.StartsWith("cuda:", StringComparison.Ordinal))
                    throw new ArgumentException("must be cpu, cuda or cuda:N");
            }),
        Setting.Choice<YoloV8TrainerOptions>("precision",
            "auto (bf16 mixed precision where the CPU has bf16 instructions, else fp32), fp32 or bf16; checkpoints and ONNX stay float32",
            TrainingPrecision.Choices, o => o.Precision, (o, v) => o with { Precision = v.ToLowerInvariant() }),
        Setting.Integer<YoloV8TrainerOptions>("threads",
            "libtorch threads (0 = the cores this process may use, shared with other training jobs on the machine)", 0, 1024,
            o => o.Threads, (o, v) => o with { Threads = v }),
    ];

    private static readonly Dictionary<string, Setting<YoloV8TrainerOptions>> ByKey = All.ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string key, out Setting<YoloV8TrainerOptions> setting) => ByKey.TryGetValue(key, out setting!);
}
