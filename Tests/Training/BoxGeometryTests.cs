using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

public sealed class BoxGeometryTests
{
    [Test]
    public void CompleteIoUOfIdenticalBoxesIsOne()
    {
        using var a = tensor(new float[] { 3, 4, 10, 20 });
        using var ciou = BoxGeometry.CompleteIoU(a, a);
        Assert.That(ciou.item<float>(), Is.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void CompleteIoUOfShiftedSquareSubtractsCentreDistance()
    {
        // (0,0,2,2) vs (1,0,3,2): IoU = 2 / 6; enclosing box 3x2 -> diagonal^2 = 13; centre distance^2 = 1;
        // same aspect ratio -> no aspect term. CIoU = 1/3 - 1/13.
        using var a = tensor(new float[] { 0, 0, 2, 2 });
        using var b = tensor(new float[] { 1, 0, 3, 2 });
        using var ciou = BoxGeometry.CompleteIoU(a, b);
        Assert.That(ciou.item<float>(), Is.EqualTo((1.0 / 3) - (1.0 / 13)).Within(1e-5));
    }

    [Test]
    public void CompleteIoUPenalisesDifferentAspectRatio()
    {
        // (0,0,2,2) vs (0,0,2,4): IoU = 4 / 8; enclosing 2x4 -> diagonal^2 = 20; centres (1,1),(1,2) -> 1.
        // v = 4/pi^2 (atan(2/4) - atan(2/2))^2 = 0.0419560; alpha = v / (v - 0.5 + 1) = 0.0774162.
        // CIoU = 0.5 - 1/20 - v * alpha = 0.4467519
        using var a = tensor(new float[] { 0, 0, 2, 2 });
        using var b = tensor(new float[] { 0, 0, 2, 4 });
        using var ciou = BoxGeometry.CompleteIoU(a, b);
        Assert.That(ciou.item<float>(), Is.EqualTo(0.4467519).Within(1e-5));
    }

    [Test]
    public void CompleteIoUOfDisjointBoxesIsNegative()
    {
        // no overlap: IoU 0; enclosing (0,0)-(4,1): diagonal^2 = 17; centres (0.5,0.5),(3.5,0.5): 9 -> -9/17
        using var a = tensor(new float[] { 0, 0, 1, 1 });
        using var b = tensor(new float[] { 3, 0, 4, 1 });
        using var ciou = BoxGeometry.CompleteIoU(a, b);
        Assert.That(ciou.item<float>(), Is.EqualTo(-9.0 / 17).Within(1e-5));
    }

    [Test]
    public void DistancesAndBoxesRoundTrip()
    {
        using var anchors = tensor(new float[] { 4.5f, 2.5f, 1.5f, 1.5f }).view(2, 2);
        using var boxes = tensor(new float[] { 1, 1, 6, 4, 0, 0, 3, 5 }).view(2, 4);
        using var distances = BoxGeometry.BoxesToDistances(anchors, boxes, 15);
        Assert.That(distances.data<float>().ToArray(), Is.EqualTo(new float[] { 3.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 1.5f, 3.5f }).Within(1e-6));
        using var back = BoxGeometry.DistancesToBoxes(distances, anchors);
        Assert.That(back.data<float>().ToArray(), Is.EqualTo(boxes.data<float>().ToArray()).Within(1e-6));
    }

    [Test]
    public void BoxesToDistancesClampsBelowTheLastBin()
    {
        using var anchors = tensor(new float[] { 10, 10 }).view(1, 2);
        using var boxes = tensor(new float[] { -20, 11, 12, 40 }).view(1, 4);
        using var distances = BoxGeometry.BoxesToDistances(anchors, boxes, 15);
        // left 30 -> 14.99, top -1 -> 0 (anchor outside), right 2, bottom 30 -> 14.99
        Assert.That(distances.data<float>().ToArray(), Is.EqualTo(new float[] { 14.99f, 0, 2, 14.99f }).Within(1e-5));
    }
}
