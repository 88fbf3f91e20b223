{ config }:
{
  networking.hostName = "web";
  fileSystems = { };
  assertions = [
    {
      assertion = config.fileSystems ? "/";
      message = "The ‘fileSystems’ option does not specify your root file system.";
    }
  ];
}
