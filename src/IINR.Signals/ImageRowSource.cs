namespace IINR.Signals;

/// <summary>
/// Supplies a band of an image's rows: rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>)
/// as row-major, channel-interleaved values into <paramref name="destination"/> (rowCount × width × channels values). Lets
/// an image of any size be produced and written band by band (<see cref="ImageFile.SavePng(string, int, int, int, ImageRowSource)"/>).
/// </summary>
/// <param name="firstRow">The band's first row.</param>
/// <param name="rowCount">Rows in the band.</param>
/// <param name="destination">Receives exactly rowCount × width × channels values.</param>
public delegate void ImageRowSource(int firstRow, int rowCount, Span<float> destination);
