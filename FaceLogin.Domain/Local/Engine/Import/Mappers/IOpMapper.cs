namespace FaceLogin.Domain.Local.Engine.Import.Mappers;

/// <summary>Translates one family of TF ops into ONNX nodes, recording each result in the <see cref="ImportContext"/>.</summary>
internal interface IOpMapper
{
    IReadOnlyCollection<string> Ops { get; }

    void Map(TfjsNode node, ImportContext context);
}
