using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitMl.Scoring;

// One letterbox mapping per model input size (see LetterboxImageMapping<TOutput> for why). Generated list.
#pragma warning disable SA1402, SA1649

/// <summary>Finds the letterbox mapping of an input size.</summary>
public static class LetterboxImageMappings
{
    public const int MinSize = 32;
    public const int MaxSize = 1280;

    public static string ContractName(int imageSize) => $"DigitMl.Scoring.Letterbox{imageSize}.v1";

    /// <summary>Adds the letterbox step for <paramref name="imageSize"/> (a multiple of 32 in 32..1280).</summary>
    public static IEstimator<ITransformer> Estimator(TransformsCatalog catalog, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return imageSize switch
        {
            32 => catalog.CustomMapping(new Letterbox32().GetMapping(), ContractName(32)),
            64 => catalog.CustomMapping(new Letterbox64().GetMapping(), ContractName(64)),
            96 => catalog.CustomMapping(new Letterbox96().GetMapping(), ContractName(96)),
            128 => catalog.CustomMapping(new Letterbox128().GetMapping(), ContractName(128)),
            160 => catalog.CustomMapping(new Letterbox160().GetMapping(), ContractName(160)),
            192 => catalog.CustomMapping(new Letterbox192().GetMapping(), ContractName(192)),
            224 => catalog.CustomMapping(new Letterbox224().GetMapping(), ContractName(224)),
            256 => catalog.CustomMapping(new Letterbox256().GetMapping(), ContractName(256)),
            288 => catalog.CustomMapping(new Letterbox288().GetMapping(), ContractName(288)),
            320 => catalog.CustomMapping(new Letterbox320().GetMapping(), ContractName(320)),
            352 => catalog.CustomMapping(new Letterbox352().GetMapping(), ContractName(352)),
            384 => catalog.CustomMapping(new Letterbox384().GetMapping(), ContractName(384)),
            416 => catalog.CustomMapping(new Letterbox416().GetMapping(), ContractName(416)),
            448 => catalog.CustomMapping(new Letterbox448().GetMapping(), ContractName(448)),
            480 => catalog.CustomMapping(new Letterbox480().GetMapping(), ContractName(480)),
            512 => catalog.CustomMapping(new Letterbox512().GetMapping(), ContractName(512)),
            544 => catalog.CustomMapping(new Letterbox544().GetMapping(), ContractName(544)),
            576 => catalog.CustomMapping(new Letterbox576().GetMapping(), ContractName(576)),
            608 => catalog.CustomMapping(new Letterbox608().GetMapping(), ContractName(608)),
            640 => catalog.CustomMapping(new Letterbox640().GetMapping(), ContractName(640)),
            672 => catalog.CustomMapping(new Letterbox672().GetMapping(), ContractName(672)),
            704 => catalog.CustomMapping(new Letterbox704().GetMapping(), ContractName(704)),
            736 => catalog.CustomMapping(new Letterbox736().GetMapping(), ContractName(736)),
            768 => catalog.CustomMapping(new Letterbox768().GetMapping(), ContractName(768)),
            800 => catalog.CustomMapping(new Letterbox800().GetMapping(), ContractName(800)),
            832 => catalog.CustomMapping(new Letterbox832().GetMapping(), ContractName(832)),
            864 => catalog.CustomMapping(new Letterbox864().GetMapping(), ContractName(864)),
            896 => catalog.CustomMapping(new Letterbox896().GetMapping(), ContractName(896)),
            928 => catalog.CustomMapping(new Letterbox928().GetMapping(), ContractName(928)),
            960 => catalog.CustomMapping(new Letterbox960().GetMapping(), ContractName(960)),
            992 => catalog.CustomMapping(new Letterbox992().GetMapping(), ContractName(992)),
            1024 => catalog.CustomMapping(new Letterbox1024().GetMapping(), ContractName(1024)),
            1056 => catalog.CustomMapping(new Letterbox1056().GetMapping(), ContractName(1056)),
            1088 => catalog.CustomMapping(new Letterbox1088().GetMapping(), ContractName(1088)),
            1120 => catalog.CustomMapping(new Letterbox1120().GetMapping(), ContractName(1120)),
            1152 => catalog.CustomMapping(new Letterbox1152().GetMapping(), ContractName(1152)),
            1184 => catalog.CustomMapping(new Letterbox1184().GetMapping(), ContractName(1184)),
            1216 => catalog.CustomMapping(new Letterbox1216().GetMapping(), ContractName(1216)),
            1248 => catalog.CustomMapping(new Letterbox1248().GetMapping(), ContractName(1248)),
            1280 => catalog.CustomMapping(new Letterbox1280().GetMapping(), ContractName(1280)),
            _ => throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"model input size must be a multiple of 32 from {MinSize} to {MaxSize}"),
        };
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox32.v1")]
public sealed class Letterbox32() : LetterboxImageMapping<Letterbox32.Output>(32)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 32 * 32)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox64.v1")]
public sealed class Letterbox64() : LetterboxImageMapping<Letterbox64.Output>(64)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 64 * 64)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox96.v1")]
public sealed class Letterbox96() : LetterboxImageMapping<Letterbox96.Output>(96)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 96 * 96)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox128.v1")]
public sealed class Letterbox128() : LetterboxImageMapping<Letterbox128.Output>(128)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 128 * 128)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox160.v1")]
public sealed class Letterbox160() : LetterboxImageMapping<Letterbox160.Output>(160)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 160 * 160)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox192.v1")]
public sealed class Letterbox192() : LetterboxImageMapping<Letterbox192.Output>(192)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 192 * 192)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox224.v1")]
public sealed class Letterbox224() : LetterboxImageMapping<Letterbox224.Output>(224)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 224 * 224)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox256.v1")]
public sealed class Letterbox256() : LetterboxImageMapping<Letterbox256.Output>(256)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 256 * 256)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox288.v1")]
public sealed class Letterbox288() : LetterboxImageMapping<Letterbox288.Output>(288)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 288 * 288)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox320.v1")]
public sealed class Letterbox320() : LetterboxImageMapping<Letterbox320.Output>(320)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 320 * 320)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox352.v1")]
public sealed class Letterbox352() : LetterboxImageMapping<Letterbox352.Output>(352)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 352 * 352)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox384.v1")]
public sealed class Letterbox384() : LetterboxImageMapping<Letterbox384.Output>(384)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 384 * 384)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox416.v1")]
public sealed class Letterbox416() : LetterboxImageMapping<Letterbox416.Output>(416)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 416 * 416)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox448.v1")]
public sealed class Letterbox448() : LetterboxImageMapping<Letterbox448.Output>(448)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 448 * 448)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox480.v1")]
public sealed class Letterbox480() : LetterboxImageMapping<Letterbox480.Output>(480)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 480 * 480)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox512.v1")]
public sealed class Letterbox512() : LetterboxImageMapping<Letterbox512.Output>(512)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 512 * 512)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox544.v1")]
public sealed class Letterbox544() : LetterboxImageMapping<Letterbox544.Output>(544)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 544 * 544)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox576.v1")]
public sealed class Letterbox576() : LetterboxImageMapping<Letterbox576.Output>(576)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 576 * 576)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox608.v1")]
public sealed class Letterbox608() : LetterboxImageMapping<Letterbox608.Output>(608)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 608 * 608)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox640.v1")]
public sealed class Letterbox640() : LetterboxImageMapping<Letterbox640.Output>(640)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 640 * 640)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox672.v1")]
public sealed class Letterbox672() : LetterboxImageMapping<Letterbox672.Output>(672)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 672 * 672)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox704.v1")]
public sealed class Letterbox704() : LetterboxImageMapping<Letterbox704.Output>(704)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 704 * 704)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox736.v1")]
public sealed class Letterbox736() : LetterboxImageMapping<Letterbox736.Output>(736)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 736 * 736)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox768.v1")]
public sealed class Letterbox768() : LetterboxImageMapping<Letterbox768.Output>(768)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 768 * 768)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox800.v1")]
public sealed class Letterbox800() : LetterboxImageMapping<Letterbox800.Output>(800)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 800 * 800)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox832.v1")]
public sealed class Letterbox832() : LetterboxImageMapping<Letterbox832.Output>(832)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 832 * 832)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox864.v1")]
public sealed class Letterbox864() : LetterboxImageMapping<Letterbox864.Output>(864)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 864 * 864)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox896.v1")]
public sealed class Letterbox896() : LetterboxImageMapping<Letterbox896.Output>(896)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 896 * 896)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox928.v1")]
public sealed class Letterbox928() : LetterboxImageMapping<Letterbox928.Output>(928)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 928 * 928)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox960.v1")]
public sealed class Letterbox960() : LetterboxImageMapping<Letterbox960.Output>(960)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 960 * 960)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox992.v1")]
public sealed class Letterbox992() : LetterboxImageMapping<Letterbox992.Output>(992)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 992 * 992)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1024.v1")]
public sealed class Letterbox1024() : LetterboxImageMapping<Letterbox1024.Output>(1024)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1024 * 1024)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1056.v1")]
public sealed class Letterbox1056() : LetterboxImageMapping<Letterbox1056.Output>(1056)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1056 * 1056)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1088.v1")]
public sealed class Letterbox1088() : LetterboxImageMapping<Letterbox1088.Output>(1088)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1088 * 1088)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1120.v1")]
public sealed class Letterbox1120() : LetterboxImageMapping<Letterbox1120.Output>(1120)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1120 * 1120)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1152.v1")]
public sealed class Letterbox1152() : LetterboxImageMapping<Letterbox1152.Output>(1152)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1152 * 1152)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1184.v1")]
public sealed class Letterbox1184() : LetterboxImageMapping<Letterbox1184.Output>(1184)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1184 * 1184)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1216.v1")]
public sealed class Letterbox1216() : LetterboxImageMapping<Letterbox1216.Output>(1216)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1216 * 1216)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1248.v1")]
public sealed class Letterbox1248() : LetterboxImageMapping<Letterbox1248.Output>(1248)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1248 * 1248)]
        public override float[] Pixels { get; set; } = [];
    }
}

[CustomMappingFactoryAttribute("DigitMl.Scoring.Letterbox1280.v1")]
public sealed class Letterbox1280() : LetterboxImageMapping<Letterbox1280.Output>(1280)
{
    public sealed class Output : LetterboxImageOutput
    {
        [ColumnName(ScoringColumns.OnnxInput), VectorType(3 * 1280 * 1280)]
        public override float[] Pixels { get; set; } = [];
    }
}

#pragma warning restore SA1402, SA1649
