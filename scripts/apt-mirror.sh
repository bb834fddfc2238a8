# SPDX-License-Identifier: GPL-2.0
#
# apt-mirror.sh: sourced by scripts that need the Debian mirror this host's
# apt configuration already uses (host-setup.sh, fio-engine.sh), so that no
# host name is ever written into the project.

# Print the URI of the first Debian (non-security) source for bookworm.
debian_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			BEGIN { RS = ""; FS = "\n" }
			{
				uri = ""; suites = ""; types = ""
				for (i = 1; i <= NF; i++) {
					if ($i ~ /^URIs:/)   { uri = $i;   sub(/^URIs:[ \t]*/, "", uri) }
					if ($i ~ /^Suites:/) { suites = $i }
					if ($i ~ /^Types:/)  { types = $i }
				}
				split(uri, u, /[ \t]+/)
				if (types ~ /deb/ && suites ~ /[ \t]bookworm([ \t]|$)/ && u[1] !~ /security/) {
					print u[1]; exit
				}
			}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" && $3 == "bookworm" && $2 !~ /security/ { print $2; exit }' \
			"$f" 2>/dev/null || true
	done
}
