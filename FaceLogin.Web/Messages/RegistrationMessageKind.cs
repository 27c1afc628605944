namespace FaceLogin.Web.Messages;

/// <summary>How a registration result reads to the person: good news, a pointer elsewhere, something to fix, or our failure.</summary>
public enum RegistrationMessageKind { Success, Info, Warning, Error }
