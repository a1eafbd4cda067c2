; Inno Setup 6.3+ script: the Windows installer for Attentive Desktop.
; Build on Windows (it cannot be built on Linux), from the repository root:
;   py -3.11 -m venv .venv
;   .venv\Scripts\pip install -e ".[package]"
;   .venv\Scripts\python -m PyInstaller --noconfirm packaging\attentive_desktop.spec
;   iscc packaging\attentive-desktop.iss
; The version comes from the version resource the spec writes into attentive-desktop.exe;
; override with iscc /DAppVersion=1.2.3 packaging\attentive-desktop.iss.
; Output: dist\attentive-desktop-<version>-windows-x64-setup.exe

#define AppName "Attentive Desktop"
#define AppExe "attentive-desktop.exe"
#define BundleDir "..\dist\attentive-desktop"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\" + AppExe, "ProductVersion")
#endif

[Setup]
; AppId identifies the app for upgrades and uninstall: never change it.
AppId={{6C1F4E0B-3B7A-4D52-9E61-A7D1F0C2B845}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install by default (no administrator needed); the dialog offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=attentive-desktop-{#AppVersion}-windows-x64-setup
SetupIconFile=..\resources\attentive-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; an upgrade replaces the whole bundle, so no file of an older version lingers
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
