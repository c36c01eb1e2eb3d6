/**
 * The parts of Docker Engine API answers that Matryoshka reads. Field names are the engine's own
 * (API 1.41, checked against the recordings under test/fixtures/recorded); everything is optional
 * where an older or stranger engine may leave it out, because inner engines can return anything.
 */
export interface MountPoint {
  Type?: string;
  Name?: string;
  Source?: string;
  Destination?: string;
  RW?: boolean;
}

export interface PortBinding {
  IP?: string;
  PrivatePort?: number;
  PublicPort?: number;
  Type?: string;
}

export interface ContainerSummary {
  Id: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  Command?: string;
  Created?: number;
  State?: string;
  Status?: string;
  Ports?: PortBinding[];
  Labels?: Record<string, string>;
  Mounts?: MountPoint[];
  HostConfig?: { NetworkMode?: string };
}

export interface ContainerInspect {
  Id: string;
  Name?: string;
  Path?: string;
  Args?: string[];
  State?: { Status?: string; Running?: boolean; Paused?: boolean; ExitCode?: number; Pid?: number; StartedAt?: string };
  Image?: string;
  Config?: {
    Image?: string;
    Env?: string[] | null;
    Entrypoint?: string[] | string | null;
    Cmd?: string[] | string | null;
    Labels?: Record<string, string> | null;
    User?: string;
    WorkingDir?: string;
    Tty?: boolean;
  };
  HostConfig?: {
    Privileged?: boolean;
    Runtime?: string;
    Binds?: string[] | null;
    CapAdd?: string[] | null;
    NetworkMode?: string;
    PidMode?: string;
    UsernsMode?: string;
  };
  Mounts?: MountPoint[];
}

export interface VersionInfo {
  Version?: string;
  ApiVersion?: string;
  MinAPIVersion?: string;
  Os?: string;
  Arch?: string;
}

export interface EngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  id?: string;
  status?: string;
  time?: number;
  timeNano?: number;
}
