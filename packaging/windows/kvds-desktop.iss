; Inno Setup script for KVDS Desktop: a per-user installer that needs no administrator rights.
;
; Build (on Windows, after the one-folder build):
;   1. py -m PyInstaller --noconfirm --distpath dist packaging\kvds-desktop.spec
;   2. "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\kvds-desktop.iss
; Result: dist\KVDS-Desktop-Setup-<version>.exe
;
; Keep in step with packaging/kvds-desktop.spec: the folder dist\kvds-desktop holds
; kvds-desktop.exe (the window), kvds.exe (the command line) and _internal\.
;
; What it does: installs into %LOCALAPPDATA%\Programs\KVDS Desktop, a start-menu shortcut
; (and, if chosen, one on the desktop), opens week packs (.kvdspack) in teacher mode on a
; double click, registers an uninstaller. The user's data (database, backups, settings
; under %LOCALAPPDATA%\kvds-desktop) is never part of the installation: updating or
; uninstalling leaves it where it is.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "KVDS Desktop"
#define AppExe "kvds-desktop.exe"
#define Source "..\..\dist\kvds-desktop"

[Setup]
AppId={{6C3B9E52-1F0A-4F0B-9B5E-4B1D2A6F0C11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Gemeenten Druten en Wijchen - Klaar voor de Start
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\icons\app\kvds-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
OutputDir=..\..\dist
OutputBaseFilename=KVDS-Desktop-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
dutch.DesktopIcon=Snelkoppeling op het bureaublad
english.DesktopIcon=Shortcut on the desktop
dutch.WeekPack=KVDS weekpakket
english.WeekPack=KVDS week pack
dutch.MarksFile=KVDS registraties van een docent
english.MarksFile=KVDS marks from a teacher

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
Source: "{#Source}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an update replaces the program folder completely (never the user's data, which is elsewhere)
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; week packs (.kvdspack) open the app in teacher mode
Root: HKA; Subkey: "Software\Classes\.kvdspack"; ValueType: string; ValueName: ""; ValueData: "KVDSDesktop.WeekPack"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\KVDSDesktop.WeekPack"; ValueType: string; ValueName: ""; ValueData: "{cm:WeekPack}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\KVDSDesktop.WeekPack\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\KVDSDesktop.WeekPack\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the database, backups and settings stay after uninstalling.
