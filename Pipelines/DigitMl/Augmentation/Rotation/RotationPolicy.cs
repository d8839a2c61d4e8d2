namespace DigitMl.Augmentation.Rotation;

/// <summary>What rotation augmentation does with orientation-ambiguous classes (a 6 turned by 180 degrees looks like a 9).</summary>
public enum RotationPolicy
{
    /// <summary>Rotate every image by every angle, labels unchanged (the original project's behaviour).</summary>
    Keep,

    /// <summary>Skip the conflicting angles for images that contain an ambiguous class (the default).</summary>
    Drop,

    /// <summary>Rotate every image; at the conflicting angles rename classes through a user map (e.g. 6 to 9, 9 to 6).</summary>
    Relabel,

    /// <summary>
    /// Rotate every image and label each copy with turn-aware classes: class c on a page turned by t quarter turns
    /// becomes class t * nc + c (docs/orientation.md), so the model learns which way up each digit is and a page's
    /// turn can be voted from all its digits. Nothing is dropped. Train with <c>orientations = 4</c>.
    /// </summary>
    Turns,
}
