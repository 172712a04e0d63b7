{{/* Labels of every object; the selector uses only app.kubernetes.io/name, as deploy/ does. */}}
{{- define "kubestack-agent.labels" -}}
app.kubernetes.io/name: kubestack-agent
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
