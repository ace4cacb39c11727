package signins

import "encoding/json"

// envelope is the top level of any JSON value we may meet. Only fields
// that tell the shapes apart, and the diagnostic-settings record's own
// fields, are decoded here; each shape is then decoded on its own.
type envelope struct {
	Records    json.RawMessage `json:"records"`
	Value      json.RawMessage `json:"value"`
	Tables     json.RawMessage `json:"tables"`
	FrameType  flexString      `json:"FrameType"`
	TableKind  flexString      `json:"TableKind"`
	OData      string          `json:"@odata.context"`
	Properties json.RawMessage `json:"properties"`
	Category   flexString      `json:"category"`
	Time       flexString      `json:"time"`
	TenantID   flexString      `json:"tenantId"`
	ResultType flexString      `json:"resultType"`
	ResultDesc flexString      `json:"resultDescription"`
	CallerIP   flexString      `json:"callerIpAddress"`
	Correl     flexString      `json:"correlationId"`
	Location   json.RawMessage `json:"location"`

	CreatedDateTime  json.RawMessage `json:"createdDateTime"`
	ActivityDateTime json.RawMessage `json:"activityDateTime"`
	TimeGenerated    json.RawMessage `json:"TimeGenerated"`
	CreationTime     json.RawMessage `json:"CreationTime"`
	Workload         json.RawMessage `json:"Workload"`
}

// graphSignIn is Microsoft Graph's signIn (v1.0 and beta), which is also
// the properties object of a diagnostic-settings sign-in record and the
// shape of the portal's JSON download.
type graphSignIn struct {
	ID                   flexString      `json:"id"`
	CreatedDateTime      flexString      `json:"createdDateTime"`
	AppID                flexString      `json:"appId"`
	AppDisplayName       flexString      `json:"appDisplayName"`
	ServicePrincipalID   flexString      `json:"servicePrincipalId"`
	ServicePrincipalName flexString      `json:"servicePrincipalName"`
	ResourceID           flexString      `json:"resourceId"`
	ResourceDisplayName  flexString      `json:"resourceDisplayName"`
	UserID               flexString      `json:"userId"`
	UserPrincipalName    flexString      `json:"userPrincipalName"`
	UserDisplayName      flexString      `json:"userDisplayName"`
	IPAddress            flexString      `json:"ipAddress"`
	Location             json.RawMessage `json:"location"`
	Status               json.RawMessage `json:"status"`
	ClientCredentialType flexString      `json:"clientCredentialType"`
	CredKeyID            flexString      `json:"servicePrincipalCredentialKeyId"`
	CredThumbprint       flexString      `json:"servicePrincipalCredentialThumbprint"`
	FederatedCredID      flexString      `json:"federatedCredentialId"`
	CorrelationID        flexString      `json:"correlationId"`
	OriginalRequestID    flexString      `json:"originalRequestId"`
	CAStatus             flexString      `json:"conditionalAccessStatus"`
	SignInEventTypes     []string        `json:"signInEventTypes"`
	IsInteractive        flexBool        `json:"isInteractive"`
	TenantID             flexString      `json:"tenantId"`
	ResourceTenantID     flexString      `json:"resourceTenantId"`
	ManagedIdentity      json.RawMessage `json:"managedServiceIdentity"`
	TokenIssuerType      flexString      `json:"tokenIssuerType"`
}

type graphStatus struct {
	ErrorCode     flexInt    `json:"errorCode"`
	FailureReason flexString `json:"failureReason"`
}

type graphLocation struct {
	City    flexString `json:"city"`
	State   flexString `json:"state"`
	Country flexString `json:"countryOrRegion"`
	// Country2 is the portal JSON download's spelling.
	Country2 flexString `json:"country"`
}

// graphAudit is Microsoft Graph's directoryAudit, also the properties of a
// diagnostic-settings AuditLogs record. The docs sample spells
// targetResources as targetResource and type as Type; both are read.
type graphAudit struct {
	ID               flexString     `json:"id"`
	Category         flexString     `json:"category"`
	CorrelationID    flexString     `json:"correlationId"`
	Result           flexString     `json:"result"`
	Activity         flexString     `json:"activityDisplayName"`
	ActivityDateTime flexString     `json:"activityDateTime"`
	InitiatedBy      auditInitiator `json:"initiatedBy"`
	TargetResources  []auditTarget  `json:"targetResources"`
	TargetResource   []auditTarget  `json:"targetResource"`
	AdditionalDetail []keyValue     `json:"additionalDetails"`
	TenantID         flexString     `json:"tenantId"`
}

type auditInitiator struct {
	User *struct {
		ID  flexString `json:"id"`
		UPN flexString `json:"userPrincipalName"`
		DN  flexString `json:"displayName"`
	} `json:"user"`
	App *struct {
		AppID flexString `json:"appId"`
		DN    flexString `json:"displayName"`
		SPID  flexString `json:"servicePrincipalId"`
	} `json:"app"`
}

type auditTarget struct {
	ID          flexString `json:"id"`
	DisplayName flexString `json:"displayName"`
	Type        flexString `json:"type"`
	Modified    []struct {
		DisplayName flexString `json:"displayName"`
		OldValue    flexString `json:"oldValue"`
		NewValue    flexString `json:"newValue"`
	} `json:"modifiedProperties"`
}

type keyValue struct {
	Key   flexString `json:"key"`
	Value flexString `json:"value"`
}

// ualRecord is an Office 365 Management Activity (Unified Audit Log)
// record of the AzureActiveDirectory workload.
type ualRecord struct {
	ID           flexString `json:"Id"`
	CreationTime flexString `json:"CreationTime"`
	Operation    flexString `json:"Operation"`
	RecordType   flexString `json:"RecordType"`
	ResultStatus flexString `json:"ResultStatus"`
	Organization flexString `json:"OrganizationId"`
	UserID       flexString `json:"UserId"`
	Target       []struct {
		ID   flexString `json:"ID"`
		Type flexInt    `json:"Type"`
	} `json:"Target"`
	Modified []struct {
		Name     flexString `json:"Name"`
		OldValue flexString `json:"OldValue"`
		NewValue flexString `json:"NewValue"`
	} `json:"ModifiedProperties"`
	Extended []struct {
		Name  flexString `json:"Name"`
		Value flexString `json:"Value"`
	} `json:"ExtendedProperties"`
}
