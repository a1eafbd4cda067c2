#!/bin/sh
# Install Attentive Desktop from this unpacked tarball.
#   ./install.sh                      for the current user, under ~/.local (no root needed)
#   sudo ./install.sh --prefix /usr/local   for everyone
#   ./install.sh --uninstall [--prefix DIR]  removes what install.sh put there
set -eu

PREFIX="${HOME}/.local"
UNINSTALL=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

HERE="$(cd "$(dirname "$0")" && pwd)"
APPDIR="${PREFIX}/lib/attentive-desktop"
BINDIR="${PREFIX}/bin"
DATADIR="${PREFIX}/share"
DESKTOP="${DATADIR}/applications/attentive-desktop.desktop"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "${DATADIR}/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        # only where a theme index exists (system prefixes); a cache-less user dir is fine
        gtk-update-icon-cache -q "${DATADIR}/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "${UNINSTALL}" = 1 ]; then
    rm -rf "${APPDIR}"
    rm -f "${BINDIR}/attentive-desktop" "${DESKTOP}"
    rm -f "${DATADIR}"/icons/hicolor/*/apps/attentive-desktop.png \
          "${DATADIR}"/icons/hicolor/scalable/apps/attentive-desktop.svg
    refresh_caches
    echo "Attentive Desktop removed from ${PREFIX} (your accounts and history are kept)."
    exit 0
fi

[ -x "${HERE}/attentive-desktop/attentive-desktop" ] || {
    echo "install.sh: run me from the unpacked tarball (attentive-desktop/ is missing)" >&2
    exit 1
}

mkdir -p "${APPDIR}" "${BINDIR}" "${DATADIR}/applications" "${DATADIR}/icons"
rm -rf "${APPDIR}"
cp -R "${HERE}/attentive-desktop" "${APPDIR}"
ln -sf "${APPDIR}/attentive-desktop" "${BINDIR}/attentive-desktop"
cp -R "${HERE}/share/icons/hicolor" "${DATADIR}/icons/"
# The menu entry names the installed launcher by its full path: ~/.local/bin is not on
# every desktop session's PATH.
sed -e "s|^Exec=.*|Exec=${BINDIR}/attentive-desktop|" \
    -e "s|^TryExec=.*|TryExec=${BINDIR}/attentive-desktop|" \
    "${HERE}/share/applications/attentive-desktop.desktop" > "${DESKTOP}"
chmod 0644 "${DESKTOP}"
refresh_caches

echo "Attentive Desktop installed in ${APPDIR}"
echo "Start it from your applications menu, or run: ${BINDIR}/attentive-desktop"
case ":${PATH}:" in
    *":${BINDIR}:"*) ;;
    *) echo "(${BINDIR} is not on your PATH; add it to run attentive-desktop by name)" ;;
esac
