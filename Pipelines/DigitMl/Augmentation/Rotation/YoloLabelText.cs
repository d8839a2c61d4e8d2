using System.Globalization;
using System.Text;
using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>Writes a sample's objects as a YOLO label file: <c>class cx cy w h</c>, normalised to the image.</summary>
internal static class YoloLabelText
{
    public static string Format(YoloSample sample)
    {
        var text = new StringBuilder();
        foreach (var (classId, box) in sample.Objects)
        {
            double w = sample.Width, h = sample.Height;
            double cx = ((double)box.X0 + box.X1) / 2 / w, cy = ((double)box.Y0 + box.Y1) / 2 / h;
            double bw = ((double)box.X1 - box.X0) / w, bh = ((double)box.Y1 - box.Y0) / h;
            text.Append(CultureInfo.InvariantCulture, $"{classId} {Show(cx)} {Show(cy)} {Show(bw)} {Show(bh)}\n");
        }
        return text.ToString();
    }

    // 9 significant digits: enough to give back the same float pixel coordinate for images up to several thousand pixels
    private static string Show(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
